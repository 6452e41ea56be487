using System.Buffers.Binary;
using System.Numerics;
using Dashboard.Core.Records;

namespace Dashboard.Core.Storage;

/// <summary>
/// Packs a run of one metric's points (steps strictly ascending) into a small blob and back, bit-exact.
/// Steps and wall times: delta-of-delta, zigzag varints, run-length coded when that is smaller (a
/// constant logging interval costs a few bytes per chunk). Values: logs print short decimals, so a
/// value is usually an integer times 10^-k: those are stored as zigzag varint deltas of the scaled
/// integers (run-length coded when smaller), the few values that do not round-trip (NaN, ±Infinity,
/// -0.0, long fractions) as exceptions with their raw bits. When too many values are arbitrary
/// doubles, a byte-aligned XOR-with-previous coding (Gorilla-like) is used instead.
/// </summary>
public static class PointChunkCodec
{
    private const byte Version = 1;
    private const byte ScaledMode = 0;
    private const byte XorMode = 1;
    private const byte PlainRuns = 0;
    private const byte LengthRuns = 1;
    private const int MaxScale = 15;
    private static readonly double[] Powers = [.. Enumerable.Range(0, MaxScale + 1).Select(k => Math.Pow(10, k))];
    private const double MaxExactInteger = 9007199254740992d; // 2^53

    public static byte[] Encode(ReadOnlySpan<StoredPoint> points)
    {
        var writer = new ByteWriter(points.Length * 4 + 32);
        writer.Byte(Version);
        writer.VarUInt((ulong)points.Length);
        if (points.Length > 0)
        {
            var buffer = new long[points.Length];
            for (var i = 0; i < points.Length; i++)
                buffer[i] = points[i].Step;
            WriteIntegers(ref writer, buffer, order: 2);
            for (var i = 0; i < points.Length; i++)
                buffer[i] = points[i].UnixMs;
            WriteIntegers(ref writer, buffer, order: 2);
            WriteValues(ref writer, points, buffer);
        }
        return writer.ToArray();
    }

    /// <summary>The number of points in a blob, without decoding it.</summary>
    public static int CountOf(ReadOnlySpan<byte> payload)
    {
        var reader = new ByteReader(payload);
        CheckVersion(reader.Byte());
        return checked((int)reader.VarUInt());
    }

    public static StoredPoint[] Decode(ReadOnlySpan<byte> payload) => Decode(payload, reuse: null);

    /// <summary>Decodes into <paramref name="reuse"/> when it has exactly the right length (a caller that reads many chunks one after another).</summary>
    public static StoredPoint[] Decode(ReadOnlySpan<byte> payload, StoredPoint[]? reuse)
    {
        var reader = new ByteReader(payload);
        CheckVersion(reader.Byte());
        var count = checked((int)reader.VarUInt());
        var points = reuse is not null && reuse.Length == count ? reuse : new StoredPoint[count];
        if (count == 0)
            return points;
        Span<long> steps = count <= 4096 ? stackalloc long[count] : new long[count];
        Span<long> times = count <= 4096 ? stackalloc long[count] : new long[count];
        Span<double> values = count <= 4096 ? stackalloc double[count] : new double[count];
        ReadIntegers(ref reader, steps, order: 2);
        ReadIntegers(ref reader, times, order: 2);
        ReadValues(ref reader, values);
        for (var i = 0; i < count; i++)
            points[i] = new StoredPoint(steps[i], values[i], times[i]);
        return points;
    }

    private static void CheckVersion(byte version)
    {
        if (version != Version)
            throw new InvalidDataException($"Point chunk version {version} is not known to this build.");
    }

    // ---- integers: delta (order 1) or delta-of-delta (order 2), then plain or run-length zigzag varints ----

    private static void WriteIntegers(ref ByteWriter writer, long[] values, int order)
    {
        var n = values.Length;
        writer.VarInt(values[0]);
        if (n == 1)
            return;
        if (order == 2)
            writer.VarInt(unchecked(values[1] - values[0]));
        // Residuals: what is left after the prediction (previous value, or previous value + previous delta).
        var residuals = new long[n - order];
        for (var i = order; i < n; i++)
            residuals[i - order] = order == 1
                ? unchecked(values[i] - values[i - 1])
                : unchecked(values[i] - 2 * values[i - 1] + values[i - 2]);

        long plainSize = 0, runSize = 0;
        for (var i = 0; i < residuals.Length;)
        {
            var residual = residuals[i];
            var run = 1;
            while (i + run < residuals.Length && residuals[i + run] == residual)
                run++;
            var size = VarIntSize(residual);
            plainSize += (long)size * run;
            runSize += size + VarUIntSize((ulong)(run - 1));
            i += run;
        }
        if (runSize < plainSize)
        {
            writer.Byte(LengthRuns);
            for (var i = 0; i < residuals.Length;)
            {
                var residual = residuals[i];
                var run = 1;
                while (i + run < residuals.Length && residuals[i + run] == residual)
                    run++;
                writer.VarInt(residual);
                writer.VarUInt((ulong)(run - 1));
                i += run;
            }
        }
        else
        {
            writer.Byte(PlainRuns);
            foreach (var residual in residuals)
                writer.VarInt(residual);
        }
    }

    private static void ReadIntegers(ref ByteReader reader, scoped Span<long> values, int order)
    {
        var n = values.Length;
        values[0] = reader.VarInt();
        if (n == 1)
            return;
        if (order == 2)
            values[1] = unchecked(values[0] + reader.VarInt());
        var mode = reader.Byte();
        var i = order;
        if (mode == PlainRuns)
        {
            if (order == 1)
                for (; i < n; i++)
                    values[i] = unchecked(values[i - 1] + reader.VarInt());
            else
                for (; i < n; i++)
                    values[i] = unchecked(2 * values[i - 1] - values[i - 2] + reader.VarInt());
            return;
        }
        if (mode != LengthRuns)
            throw new InvalidDataException("Unknown integer coding in a point chunk.");
        while (i < n)
        {
            var residual = reader.VarInt();
            var run = checked((int)reader.VarUInt() + 1);
            if (run > n - i)
                throw new InvalidDataException("A run goes past the end of a point chunk.");
            var end = i + run;
            if (order == 1)
                for (; i < end; i++)
                    values[i] = unchecked(values[i - 1] + residual);
            else
                for (; i < end; i++)
                    values[i] = unchecked(2 * values[i - 1] - values[i - 2] + residual);
        }
    }

    // ---- values ----

    private static void WriteValues(ref ByteWriter writer, ReadOnlySpan<StoredPoint> points, long[] scaled)
    {
        var n = points.Length;
        // The smallest k for which every decimal-looking value is an integer times 10^-k; round-tripping
        // at k implies round-tripping at any larger k, so one pass finds it.
        var scale = 0;
        var exceptions = 0;
        for (var i = 0; i < n; i++)
        {
            var value = points[i].Value;
            if (!Scalable(value))
            {
                exceptions++;
                continue;
            }
            if (RoundTrips(value, scale))
                continue;
            var k = scale + 1;
            while (k <= MaxScale && !RoundTrips(value, k))
                k++;
            if (k > MaxScale)
                exceptions++;
            else
                scale = k;
        }
        if (exceptions * 4 > n)
        {
            WriteXor(ref writer, points);
            return;
        }

        writer.Byte(ScaledMode);
        writer.Byte((byte)scale);
        var power = Powers[scale];
        var exceptionIndexes = new List<int>();
        long previous = 0;
        for (var i = 0; i < n; i++)
        {
            var value = points[i].Value;
            if (Scalable(value))
            {
                var mantissa = (long)Math.Round(value * power);
                if (Math.Abs(value * power) < MaxExactInteger && BitConverter.DoubleToInt64Bits(mantissa / power) == BitConverter.DoubleToInt64Bits(value))
                {
                    scaled[i] = previous = mantissa;
                    continue;
                }
            }
            exceptionIndexes.Add(i);
            scaled[i] = previous;
        }
        writer.VarUInt((ulong)exceptionIndexes.Count);
        var last = 0;
        foreach (var index in exceptionIndexes)
        {
            writer.VarUInt((ulong)(index - last));
            writer.Int64(BitConverter.DoubleToInt64Bits(points[index].Value));
            last = index;
        }
        WriteIntegers(ref writer, scaled, order: 1);
    }

    private static bool Scalable(double value) =>
        double.IsFinite(value) && !(value == 0 && double.IsNegative(value)) && Math.Abs(value) < MaxExactInteger;

    private static bool RoundTrips(double value, int k)
    {
        var power = Powers[k];
        var product = value * power;
        if (Math.Abs(product) >= MaxExactInteger)
            return false;
        return Math.Round(product) / power == value;
    }

    private static void WriteXor(ref ByteWriter writer, ReadOnlySpan<StoredPoint> points)
    {
        writer.Byte(XorMode);
        ulong previous = 0;
        foreach (var point in points)
        {
            var bits = (ulong)BitConverter.DoubleToInt64Bits(point.Value);
            var xor = bits ^ previous;
            previous = bits;
            if (xor == 0)
            {
                writer.Byte(0);
                continue;
            }
            var lead = BitOperations.LeadingZeroCount(xor) / 8;
            var trail = BitOperations.TrailingZeroCount(xor) / 8;
            writer.Byte((byte)(1 + lead * 8 + trail));
            var middle = xor >> (trail * 8);
            for (var b = 0; b < 8 - lead - trail; b++, middle >>= 8)
                writer.Byte((byte)middle);
        }
    }

    private static void ReadValues(ref ByteReader reader, scoped Span<double> values)
    {
        var n = values.Length;
        var mode = reader.Byte();
        if (mode == XorMode)
        {
            ulong previous = 0;
            for (var i = 0; i < n; i++)
            {
                var header = reader.Byte();
                if (header != 0)
                {
                    var lead = (header - 1) / 8;
                    var trail = (header - 1) % 8;
                    ulong middle = 0;
                    var bytes = 8 - lead - trail;
                    if (bytes <= 0)
                        throw new InvalidDataException("Bad XOR header in a point chunk.");
                    for (var b = 0; b < bytes; b++)
                        middle |= (ulong)reader.Byte() << (8 * b);
                    previous ^= middle << (trail * 8);
                }
                values[i] = BitConverter.Int64BitsToDouble((long)previous);
            }
            return;
        }
        if (mode != ScaledMode)
            throw new InvalidDataException("Unknown value coding in a point chunk.");
        var scale = reader.Byte();
        if (scale > MaxScale)
            throw new InvalidDataException("Bad scale in a point chunk.");
        var exceptionCount = checked((int)reader.VarUInt());
        Span<(int Index, long Bits)> exceptions = exceptionCount <= 64 ? stackalloc (int, long)[exceptionCount] : new (int, long)[exceptionCount];
        var index = 0;
        for (var e = 0; e < exceptionCount; e++)
        {
            index = checked(index + (int)reader.VarUInt());
            exceptions[e] = (index, reader.Int64());
        }
        Span<long> scaled = n <= 4096 ? stackalloc long[n] : new long[n];
        ReadIntegers(ref reader, scaled, order: 1);
        var power = Powers[scale];
        for (var i = 0; i < n; i++)
            values[i] = scaled[i] / power;
        foreach (var (at, bits) in exceptions)
        {
            if ((uint)at >= (uint)n)
                throw new InvalidDataException("An exception index is past the end of a point chunk.");
            values[at] = BitConverter.Int64BitsToDouble(bits);
        }
    }

    // ---- varints ----

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static int VarIntSize(long value) => VarUIntSize(ZigZag(value));

    private static int VarUIntSize(ulong value) => value == 0 ? 1 : (64 - BitOperations.LeadingZeroCount(value) + 6) / 7;

    private ref struct ByteWriter(int capacity)
    {
        private byte[] _buffer = new byte[Math.Max(16, capacity)];
        private int _length;

        public void Byte(byte value)
        {
            if (_length == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            _buffer[_length++] = value;
        }

        public void VarUInt(ulong value)
        {
            if (_length + 10 > _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2 + 10);
            while (value >= 0x80)
            {
                _buffer[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }
            _buffer[_length++] = (byte)value;
        }

        public void VarInt(long value) => VarUInt(ZigZag(value));

        public void Int64(long value)
        {
            if (_length + 8 > _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2 + 8);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
            _length += 8;
        }

        public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();
    }

    private ref struct ByteReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public byte Byte()
        {
            if (_position >= _data.Length)
                throw new InvalidDataException("A point chunk ends early.");
            return _data[_position++];
        }

        public ulong VarUInt()
        {
            if ((uint)_position < (uint)_data.Length && _data[_position] < 0x80)
                return _data[_position++];
            ulong result = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                var b = Byte();
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return result;
            }
            throw new InvalidDataException("A varint in a point chunk is too long.");
        }

        public long VarInt() => UnZigZag(VarUInt());

        public long Int64()
        {
            if (_position + 8 > _data.Length)
                throw new InvalidDataException("A point chunk ends early.");
            var value = BinaryPrimitives.ReadInt64LittleEndian(_data[_position..]);
            _position += 8;
            return value;
        }
    }
}
