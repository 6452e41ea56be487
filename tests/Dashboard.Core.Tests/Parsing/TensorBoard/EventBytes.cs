using System.Buffers.Binary;
using System.Text;
using Dashboard.Core.Parsing.TensorBoard;

namespace Dashboard.Core.Tests.Parsing.TensorBoard;

/// <summary>Protobuf wire format written by hand, to build the TensorBoard events the fixtures do not cover.</summary>
internal sealed class Proto
{
    private readonly List<byte> _bytes = [];

    public Proto Varint(int field, ulong value) => Key(field, 0).Raw(VarintBytes(value));

    public Proto Double(int field, double value) => Key(field, 1).Raw(BitConverter.GetBytes(value));

    public Proto Float(int field, float value) => Key(field, 5).Raw(BitConverter.GetBytes(value));

    public Proto Bytes(int field, byte[] value) => Key(field, 2).Raw(VarintBytes((ulong)value.Length)).Raw(value);

    public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public Proto Message(int field, Proto value) => Bytes(field, value.ToArray());

    public byte[] ToArray() => [.. _bytes];

    private Proto Key(int field, int wireType) => Raw(VarintBytes((ulong)((field << 3) | wireType)));

    private Proto Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}

internal static class EventBytes
{
    public const double WallTime = 1723754467.25;

    /// <summary>TFRecord framing: length, masked CRC of the length, data, masked CRC of the data.</summary>
    public static byte[] Record(byte[] data)
    {
        var record = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32C.Masked(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Crc32C.Masked(data));
        return record;
    }

    public static byte[] FileVersion() => Record(new Proto().Double(1, WallTime).String(3, "brain.Event:2").ToArray());

    public static byte[] Scalar(string tag, float value, long step, double wallTime = WallTime) =>
        Record(Event(step, wallTime, new Proto().String(1, tag).Float(2, value)));

    public static byte[] Tensor(string tag, Proto tensor, long step, string plugin = "scalars") =>
        Record(Event(step, WallTime, new Proto().String(1, tag).Message(8, tensor).Message(9, new Proto().Message(1, new Proto().String(1, plugin)))));

    public static byte[] Event(long step, double wallTime, params Proto[] values)
    {
        var summary = new Proto();
        foreach (var value in values)
            summary.Message(1, value);
        var ev = new Proto().Double(1, wallTime);
        if (step != 0)
            ev.Varint(2, (ulong)step);
        return ev.Message(5, summary).ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
