using System.Buffers.Binary;

namespace Dashboard.Core.Parsing.TensorBoard;

/// <summary>
/// Reads protobuf wire format by hand: just enough for TensorBoard's Event messages. Every read says
/// whether it succeeded rather than throwing, so a malformed message just ends decoding.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly bool AtEnd => _pos >= _data.Length;

    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (AtEnd || !TryReadVarint(out var tag) || tag >> 3 is 0 or > int.MaxValue)
            return false;
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length)
                return false;
            var b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return true;
        }
        return false;
    }

    public bool TryReadFixed64(out ulong value)
    {
        value = 0;
        if (_data.Length - _pos < 8)
            return false;
        value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return true;
    }

    public bool TryReadFixed32(out uint value)
    {
        value = 0;
        if (_data.Length - _pos < 4)
            return false;
        value = BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        return true;
    }

    public bool TryReadBytes(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryReadVarint(out var length) || length > (ulong)(_data.Length - _pos))
            return false;
        value = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return true;
    }

    /// <summary>Skips a field this reader does not want. Groups (wire types 3 and 4, long deprecated) end decoding.</summary>
    public bool TrySkip(int wireType) => wireType switch
    {
        Varint => TryReadVarint(out _),
        Fixed64 => TryReadFixed64(out _),
        LengthDelimited => TryReadBytes(out _),
        Fixed32 => TryReadFixed32(out _),
        _ => false,
    };
}
