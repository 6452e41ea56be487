using Dashboard.Core.Records;

namespace Dashboard.Core.Statistics;

/// <summary>
/// Shrinks a series for drawing without hiding what matters: each equal-count bucket keeps its first,
/// min, max, last and first NaN, so spikes (±Infinity included) and NaNs stay visible.
/// </summary>
public static class Downsampler
{
    private const int PointsPerBucket = 5;

    /// <summary>At most <paramref name="maxPoints"/> of <paramref name="points"/> (sorted by step), in step order.</summary>
    public static IReadOnlyList<StoredPoint> Reduce(IReadOnlyList<StoredPoint> points, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        if (points.Count <= maxPoints)
            return points;
        var buckets = Math.Max(1, maxPoints / PointsPerBucket);
        // Fewer than five allowed: one bucket keeps what matters most, NaN and the extremes first.
        var perBucket = Math.Min(PointsPerBucket, maxPoints);
        var all = points switch
        {
            StoredPoint[] array => array,
            List<StoredPoint> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
            _ => [.. points],
        };
        var result = new List<StoredPoint>(buckets * perBucket);
        Span<int> picks = stackalloc int[PointsPerBucket];
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var start = (int)((long)bucket * points.Count / buckets);
            var end = (int)((long)(bucket + 1) * points.Count / buckets);
            var count = Pick(all, start, end, picks[..perBucket]);
            var chosen = picks[..count];
            chosen.Sort();
            foreach (var index in chosen)
                result.Add(points[index]);
        }
        return result;
    }

    /// <summary>Writes the distinct indexes to keep from [start, end), most important first, and returns how many.</summary>
    private static int Pick(ReadOnlySpan<StoredPoint> points, int start, int end, Span<int> picks)
    {
        var extremes = PointExtremes.Scan(points[start..end]);
        int At(int index) => index < 0 ? -1 : start + index;
        var count = 0;
        foreach (var candidate in (ReadOnlySpan<int>)[At(extremes.FirstNaN), At(extremes.Max), At(extremes.Min), start, end - 1])
        {
            if (count < picks.Length && candidate >= 0 && !picks[..count].Contains(candidate))
                picks[count++] = candidate;
        }
        return count;
    }
}
