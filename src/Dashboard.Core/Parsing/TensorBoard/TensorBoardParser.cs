using System.Buffers.Binary;
using System.Text;
using Dashboard.Core.Parsing.Json;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing.TensorBoard;

/// <summary>
/// A TensorBoard event file (<c>events.out.tfevents.*</c>) as torch.utils.tensorboard, TensorFlow and
/// tensorboardX write it: TFRecords (uint64 length, masked CRC-32C of the length, an Event protobuf,
/// masked CRC-32C of the data), read while the trainer appends. Scalars come from <c>simple_value</c>
/// (add_scalar) and from size-1 numeric tensors of the scalars plugin (add_scalar(new_style=True),
/// TF2 tf.summary.scalar); images, histograms, text and graphs are skipped. A record whose data CRC
/// fails is skipped and counted; a corrupt length header is skipped byte by byte up to the next header
/// whose CRC holds. Stateless between records, so resuming needs only the offset.
/// </summary>
public sealed class TensorBoardParser : ILogParser
{
    private const int HeaderBytes = 12;
    private const int FooterBytes = 4;
    // A valid CRC on a longer length is still not a record the tailer could ever buffer.
    private const ulong MaxDataBytes = 1 << 30;
    private const int MaxTagBytes = 1024;

    private const int DtFloat = 1;
    private const int DtDouble = 2;
    private const int DtInt32 = 3;
    private const int DtInt64 = 9;
    private const int DtBFloat16 = 14;
    private const int DtHalf = 19;
    private const int DataClassScalar = 1;

    private readonly KeyCache _tags = new();
    private long _recordsSeen;
    private long? _lastStep;

    public TensorBoardParser(ParserState? state = null)
    {
        if (state is not null)
            (_recordsSeen, _lastStep) = (state.LinesSeen, state.LastStep);
    }

    public LogFormat Format => LogFormat.TensorBoard;

    /// <summary>LinesSeen counts records read; LastStep is the last event's step.</summary>
    public ParserState State => new(LinesSeen: _recordsSeen, LastStep: _lastStep, Format: LogFormat.TensorBoard);

    public int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var pos = 0;
        while (buffer.Length - pos >= HeaderBytes)
        {
            if (!TryReadHeader(buffer.Slice(pos, HeaderBytes), out var length))
            {
                var start = pos++;
                while (buffer.Length - pos >= HeaderBytes && !TryReadHeader(buffer.Slice(pos, HeaderBytes), out _))
                    pos++;
                into.SkippedBytes += pos - start;
                continue;
            }
            var total = HeaderBytes + length + FooterBytes;
            if (buffer.Length - pos < total)
                break;
            var data = buffer.Slice(pos + HeaderBytes, length);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(buffer.Slice(pos + HeaderBytes + length, FooterBytes));
            if (Crc32C.Masked(data) == crc)
            {
                _recordsSeen++;
                ReadEvent(data, nowUnixMs, into);
            }
            else
            {
                into.SkippedBytes += total;
            }
            pos += total;
        }
        return pos;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> header, out int length)
    {
        length = 0;
        var value = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (value > MaxDataBytes || Crc32C.Masked(header[..8]) != BinaryPrimitives.ReadUInt32LittleEndian(header[8..]))
            return false;
        length = (int)value;
        return true;
    }

    /// <summary>Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; ... }.</summary>
    private void ReadEvent(ReadOnlySpan<byte> data, long nowUnixMs, ParsedRecords into)
    {
        var wallTime = double.NaN;
        var step = 0L;
        var hasSummary = false;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            bool ok;
            switch (field, wireType)
            {
                case (1, ProtoReader.Fixed64):
                    ok = reader.TryReadFixed64(out var bits);
                    wallTime = BitConverter.UInt64BitsToDouble(bits);
                    break;
                case (2, ProtoReader.Varint):
                    ok = reader.TryReadVarint(out var varint);
                    step = (long)varint;
                    break;
                default:
                    hasSummary |= field == 5 && wireType == ProtoReader.LengthDelimited;
                    ok = reader.TrySkip(wireType);
                    break;
            }
            if (!ok)
                return;
        }
        if (!hasSummary)
            return;
        _lastStep = step;
        var unixMs = wallTime is > 0 and < 1e11 ? (long)Math.Round(wallTime * 1000) : nowUnixMs;
        // Fields may come in any order: the summary is read once step and time are known.
        reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 5 && wireType == ProtoReader.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var summary))
                    return;
                ReadSummary(summary, step, unixMs, into);
            }
            else if (!reader.TrySkip(wireType))
            {
                return;
            }
        }
    }

    /// <summary>Summary { repeated Value value = 1; }.</summary>
    private void ReadSummary(ReadOnlySpan<byte> summary, long step, long unixMs, ParsedRecords into)
    {
        var reader = new ProtoReader(summary);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == ProtoReader.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var value))
                    return;
                if (TryReadValue(value, out var tag, out var number) && !IsHpMetricPlaceholder(tag, step, number))
                    into.Points.Add(new MetricPoint(Tag(tag), step, number, unixMs));
            }
            else if (!reader.TrySkip(wireType))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Lightning's TensorBoardLogger writes <c>hp_metric</c> = -1 at step 0 with the hyperparameters (its
    /// <c>default_hp_metric</c>), a placeholder for a value the training may log later, not a measurement.
    /// </summary>
    private static bool IsHpMetricPlaceholder(ReadOnlySpan<byte> tag, long step, double value) =>
        step == 0 && value == -1 && tag.SequenceEqual("hp_metric"u8);

    /// <summary>Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; ... }.</summary>
    private static bool TryReadValue(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> tag, out double number)
    {
        tag = default;
        number = 0;
        var hasSimple = false;
        var simple = 0f;
        ReadOnlySpan<byte> tensor = default;
        var hasTensor = false;
        ReadOnlySpan<byte> metadata = default;
        var reader = new ProtoReader(value);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = (field, wireType) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out tag),
                (2, ProtoReader.Fixed32) => hasSimple = reader.TryReadFixed32(out var bits) && Assign(out simple, BitConverter.UInt32BitsToSingle(bits)),
                (8, ProtoReader.LengthDelimited) => hasTensor = reader.TryReadBytes(out tensor),
                (9, ProtoReader.LengthDelimited) => reader.TryReadBytes(out metadata),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
                return false;
        }
        if (tag.IsEmpty || tag.Length > MaxTagBytes)
            return false;
        if (hasSimple)
        {
            number = simple;
            return true;
        }
        return hasTensor && IsScalarPlugin(metadata) && TryReadScalarTensor(tensor, out number);
    }

    private static bool Assign(out float target, float value)
    {
        target = value;
        return true;
    }

    /// <summary>
    /// SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; } ; DataClass data_class = 4; }:
    /// no plugin or "scalars" (or a scalar data class) holds a scalar; images, histograms, text, hparams do not.
    /// </summary>
    private static bool IsScalarPlugin(ReadOnlySpan<byte> metadata)
    {
        ReadOnlySpan<byte> plugin = default;
        var dataClass = 0UL;
        var reader = new ProtoReader(metadata);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == ProtoReader.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var pluginData))
                    return false;
                var inner = new ProtoReader(pluginData);
                while (inner.TryReadTag(out var innerField, out var innerWire))
                {
                    if (innerField == 1 && innerWire == ProtoReader.LengthDelimited ? !inner.TryReadBytes(out plugin) : !inner.TrySkip(innerWire))
                        return false;
                }
            }
            else if (field == 4 && wireType == ProtoReader.Varint)
            {
                if (!reader.TryReadVarint(out dataClass))
                    return false;
            }
            else if (!reader.TrySkip(wireType))
            {
                return false;
            }
        }
        return plugin.IsEmpty || plugin.SequenceEqual("scalars"u8) || dataClass == DataClassScalar;
    }

    /// <summary>
    /// TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
    /// repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
    /// repeated int64 int64_val = 10; repeated int32 half_val = 13; } holding exactly one number.
    /// </summary>
    private static bool TryReadScalarTensor(ReadOnlySpan<byte> tensor, out double number)
    {
        number = 0;
        var dtype = 0UL;
        var size = 1L;
        ReadOnlySpan<byte> content = default;
        double? floatVal = null, doubleVal = null, intVal = null, int64Val = null, halfVal = null;
        var reader = new ProtoReader(tensor);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            bool ok;
            switch (field, wireType)
            {
                case (1, ProtoReader.Varint):
                    ok = reader.TryReadVarint(out dtype);
                    break;
                case (2, ProtoReader.LengthDelimited):
                    ok = reader.TryReadBytes(out var shape) && TryReadSize(shape, out size);
                    break;
                case (4, ProtoReader.LengthDelimited):
                    ok = reader.TryReadBytes(out content);
                    break;
                case (5, _):
                    ok = TryReadFirst(ref reader, wireType, ProtoReader.Fixed32, ref floatVal);
                    break;
                case (6, _):
                    ok = TryReadFirst(ref reader, wireType, ProtoReader.Fixed64, ref doubleVal);
                    break;
                case (7, _):
                    ok = TryReadFirst(ref reader, wireType, ProtoReader.Varint, ref intVal);
                    break;
                case (10, _):
                    ok = TryReadFirst(ref reader, wireType, ProtoReader.Varint, ref int64Val);
                    break;
                case (13, _):
                    ok = TryReadFirst(ref reader, wireType, ProtoReader.Varint, ref halfVal);
                    break;
                default:
                    ok = reader.TrySkip(wireType);
                    break;
            }
            if (!ok)
                return false;
        }
        if (size != 1)
            return false;
        double? value = (int)dtype switch
        {
            DtFloat => content.Length == 4 ? BinaryPrimitives.ReadSingleLittleEndian(content) : floatVal,
            DtDouble => content.Length == 8 ? BinaryPrimitives.ReadDoubleLittleEndian(content) : doubleVal,
            DtInt32 => content.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(content) : intVal,
            DtInt64 => content.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(content) : int64Val,
            DtHalf => content.Length == 2 ? (double)BinaryPrimitives.ReadHalfLittleEndian(content) : halfVal is { } h ? (double)BitConverter.UInt16BitsToHalf((ushort)(int)h) : null,
            DtBFloat16 => content.Length == 2 ? BFloat16(BinaryPrimitives.ReadUInt16LittleEndian(content)) : halfVal is { } b ? BFloat16((ushort)(int)b) : null,
            _ => null,
        };
        number = value ?? 0;
        return value is not null;
    }

    private static double BFloat16(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// The first element of a repeated numeric field, packed (wire type 2) or not. Varints are kept as
    /// their signed 64-bit value, which is what int32 and int64 fields encode.
    /// </summary>
    private static bool TryReadFirst(ref ProtoReader reader, int wireType, int elementWireType, ref double? first)
    {
        if (wireType == ProtoReader.LengthDelimited)
        {
            if (!reader.TryReadBytes(out var packed))
                return false;
            var inner = new ProtoReader(packed);
            if (!inner.AtEnd && TryReadElement(ref inner, elementWireType, out var value))
                first ??= value;
            return true;
        }
        if (wireType != elementWireType || !TryReadElement(ref reader, elementWireType, out var single))
            return false;
        first ??= single;
        return true;
    }

    private static bool TryReadElement(ref ProtoReader reader, int wireType, out double value)
    {
        value = 0;
        switch (wireType)
        {
            case ProtoReader.Fixed32 when reader.TryReadFixed32(out var bits32):
                value = BitConverter.UInt32BitsToSingle(bits32);
                return true;
            case ProtoReader.Fixed64 when reader.TryReadFixed64(out var bits64):
                value = BitConverter.UInt64BitsToDouble(bits64);
                return true;
            case ProtoReader.Varint when reader.TryReadVarint(out var varint):
                value = (long)varint;
                return true;
            default:
                return false;
        }
    }

    /// <summary>TensorShapeProto { repeated Dim dim = 2 { int64 size = 1; } }: the element count, 1 for a scalar.</summary>
    private static bool TryReadSize(ReadOnlySpan<byte> shape, out long size)
    {
        size = 1;
        var reader = new ProtoReader(shape);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 2 && wireType == ProtoReader.LengthDelimited)
            {
                if (!reader.TryReadBytes(out var dim))
                    return false;
                var dimSize = 0L;
                var inner = new ProtoReader(dim);
                while (inner.TryReadTag(out var innerField, out var innerWire))
                {
                    if (innerField == 1 && innerWire == ProtoReader.Varint ? !TryReadLong(ref inner, out dimSize) : !inner.TrySkip(innerWire))
                        return false;
                }
                // An unknown (-1) or huge dimension is not a scalar either way.
                size = dimSize is < 0 or > int.MaxValue ? -1 : size * dimSize;
                if (size is < 0 or > int.MaxValue)
                    return true;
            }
            else if (!reader.TrySkip(wireType))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryReadLong(ref ProtoReader reader, out long value)
    {
        var ok = reader.TryReadVarint(out var varint);
        value = (long)varint;
        return ok;
    }

    private string Tag(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[MaxTagBytes];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        return _tags.Get(chars[..count]);
    }
}
