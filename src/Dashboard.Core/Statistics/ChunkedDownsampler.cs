using Dashboard.Core.Records;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Statistics;

/// <summary>
/// <see cref="Downsampler.Reduce"/> over a chunked series, with the same answer: equal-count buckets,
/// each keeping its first NaN, max, min, first and last point. A chunk that lies inside one bucket is
/// answered from its <see cref="ChunkSummary"/>; only chunks that straddle a bucket boundary are decoded.
/// </summary>
public static class ChunkedDownsampler
{
    private const int PointsPerBucket = 5;

    /// <summary>How many equal-count buckets a series longer than maxPoints is cut into.</summary>
    public static int Buckets(int maxPoints) => Math.Max(1, maxPoints / PointsPerBucket);

    /// <param name="chunks">The summaries of the chunks, in step order.</param>
    /// <param name="decode">The points of chunk j (called at most once per chunk, in ascending order).</param>
    public static IReadOnlyList<StoredPoint> Reduce(IReadOnlyList<ChunkSummary> chunks, Func<int, StoredPoint[]> decode, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(decode);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var offsets = new long[chunks.Count + 1];
        for (var j = 0; j < chunks.Count; j++)
            offsets[j + 1] = offsets[j] + chunks[j].Count;
        var total = offsets[^1];
        if (total <= maxPoints)
        {
            var all = new List<StoredPoint>((int)total);
            for (var j = 0; j < chunks.Count; j++)
                all.AddRange(decode(j));
            return all;
        }

        var buckets = Buckets(maxPoints);
        var perBucket = Math.Min(PointsPerBucket, maxPoints);
        var result = new List<StoredPoint>(buckets * perBucket);
        var decodedIndex = -1;
        StoredPoint[] decoded = [];
        StoredPoint[] Decoded(int j)
        {
            if (decodedIndex != j)
            {
                decoded = decode(j);
                decodedIndex = j;
                if (decoded.Length != chunks[j].Count)
                    throw new InvalidDataException($"Chunk {j} decodes to {decoded.Length} points; its summary says {chunks[j].Count}.");
            }
            return decoded;
        }

        var chunk = 0;
        Span<(long Index, StoredPoint Point)> picks = stackalloc (long, StoredPoint)[PointsPerBucket];
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var start = bucket * total / buckets;
            var end = (bucket + 1) * total / buckets;
            while (offsets[chunk + 1] <= start)
                chunk++;
            (long Index, StoredPoint Point)? first = null, last = null, min = null, max = null, firstNaN = null;
            for (var j = chunk; j < chunks.Count && offsets[j] < end; j++)
            {
                var summary = chunks[j];
                var chunkStart = offsets[j];
                var from = Math.Max(start, chunkStart);
                var to = Math.Min(end, offsets[j + 1]);
                if (from == chunkStart && to == offsets[j + 1])
                {
                    first ??= (chunkStart, summary.First.Point);
                    last = (chunkStart + summary.Last.Index, summary.Last.Point);
                    if (firstNaN is null && summary.FirstNaN is { } nan)
                        firstNaN = (chunkStart + nan.Index, nan.Point);
                    if (summary.Min is { } low && (min is null || low.Point.Value < min.Value.Point.Value))
                        min = (chunkStart + low.Index, low.Point);
                    if (summary.Max is { } high && (max is null || high.Point.Value > max.Value.Point.Value))
                        max = (chunkStart + high.Index, high.Point);
                    continue;
                }
                var points = Decoded(j);
                first ??= (from, points[from - chunkStart]);
                last = (to - 1, points[to - 1 - chunkStart]);
                var offset = (int)(from - chunkStart);
                var part = PointExtremes.Scan(points.AsSpan(offset, (int)(to - from)));
                if (firstNaN is null && part.FirstNaN >= 0)
                    firstNaN = (from + part.FirstNaN, points[offset + part.FirstNaN]);
                if (part.Min >= 0 && (min is null || points[offset + part.Min].Value < min.Value.Point.Value))
                    min = (from + part.Min, points[offset + part.Min]);
                if (part.Max >= 0 && (max is null || points[offset + part.Max].Value > max.Value.Point.Value))
                    max = (from + part.Max, points[offset + part.Max]);
            }

            var count = 0;
            foreach (var candidate in (ReadOnlySpan<(long, StoredPoint)?>)[firstNaN, max, min, first, last])
            {
                if (count >= perBucket || candidate is not { } pick)
                    continue;
                var seen = false;
                for (var p = 0; p < count; p++)
                    seen |= picks[p].Index == pick.Item1;
                if (!seen)
                    picks[count++] = pick;
            }
            var chosen = picks[..count];
            chosen.Sort((a, b) => a.Index.CompareTo(b.Index));
            foreach (var (_, point) in chosen)
                result.Add(point);
        }
        return result;
    }
}
