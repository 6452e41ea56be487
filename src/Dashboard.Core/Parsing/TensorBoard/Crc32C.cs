using System.Buffers.Binary;
using System.Numerics;

namespace Dashboard.Core.Parsing.TensorBoard;

/// <summary>
/// CRC-32C (Castagnoli), as TFRecord framing uses it. <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the
/// CPU's crc32 instruction (SSE4.2 / ARMv8) and falls back to a table elsewhere.
/// </summary>
public static class Crc32C
{
    private const uint MaskDelta = 0xa282ead8;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>The CRC as TFRecord stores it: rotated right by 15 bits plus a constant.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }
}
