using System.Buffers.Binary;
using Dashboard.Core.Records;
using Dashboard.Core.Statistics;

namespace Dashboard.Core.Storage;

/// <summary>A point of a chunk with its position in the chunk.</summary>
public readonly record struct IndexedPoint(int Index, StoredPoint Point);

/// <summary>
/// What a chunk's points look like from afar: the first and last point, the first minimum and first
/// maximum (NaN skipped, ±Infinity included) and the first NaN, each with its position. Enough for a
/// downsampled read or a metric's summary to skip decoding a chunk that lies inside one bucket.
/// </summary>
public sealed record ChunkSummary(int Count, int NaNCount, IndexedPoint First, IndexedPoint Last, IndexedPoint? Min, IndexedPoint? Max, IndexedPoint? FirstNaN)
{
    private const int EntryBytes = 4 + 8 + 8 + 8;

    public static ChunkSummary Of(ReadOnlySpan<StoredPoint> points)
    {
        if (points.IsEmpty)
            throw new ArgumentException("A chunk has at least one point.", nameof(points));
        var extremes = PointExtremes.Scan(points);
        return new ChunkSummary(points.Length, extremes.NaNCount, new IndexedPoint(0, points[0]), new IndexedPoint(points.Length - 1, points[^1]),
            At(points, extremes.Min), At(points, extremes.Max), At(points, extremes.FirstNaN));
    }

    private static IndexedPoint? At(ReadOnlySpan<StoredPoint> points, int index) => index < 0 ? null : new IndexedPoint(index, points[index]);

    public byte[] ToBytes()
    {
        var entries = new[] { First, Last, Min, Max, FirstNaN };
        var bytes = new byte[4 + 4 + 1 + entries.Count(e => e is not null) * EntryBytes];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], NaNCount);
        byte present = 0;
        var at = 9;
        for (var e = 0; e < entries.Length; e++)
        {
            if (entries[e] is not { } entry)
                continue;
            present |= (byte)(1 << e);
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], entry.Index);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 4)..], entry.Point.Step);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(at + 12)..], entry.Point.Value);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 20)..], entry.Point.UnixMs);
            at += EntryBytes;
        }
        bytes[8] = present;
        return bytes;
    }

    public static ChunkSummary FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 9)
            throw new InvalidDataException("A chunk summary is too short.");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var nanCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        var present = bytes[8];
        var entries = new IndexedPoint?[5];
        var at = 9;
        for (var e = 0; e < entries.Length; e++)
        {
            if ((present & (1 << e)) == 0)
                continue;
            if (at + EntryBytes > bytes.Length)
                throw new InvalidDataException("A chunk summary is too short.");
            entries[e] = new IndexedPoint(
                BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]),
                new StoredPoint(
                    BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 4)..]),
                    BinaryPrimitives.ReadDoubleLittleEndian(bytes[(at + 12)..]),
                    BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 20)..])));
            at += EntryBytes;
        }
        if (entries[0] is not { } first || entries[1] is not { } last)
            throw new InvalidDataException("A chunk summary lacks its first or last point.");
        return new ChunkSummary(count, nanCount, first, last, entries[2], entries[3], entries[4]);
    }
}
