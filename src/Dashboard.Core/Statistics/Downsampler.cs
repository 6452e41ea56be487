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
        var result = new List<StoredPoint>(buckets * perBucket);
        Span<int> picks = stackalloc int[PointsPerBucket];
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var start = (int)((long)bucket * points.Count / buckets);
            var end = (int)((long)(bucket + 1) * points.Count / buckets);
            var count = Pick(points, start, end, picks[..perBucket]);
            var chosen = picks[..count];
            chosen.Sort();
            foreach (var index in chosen)
                result.Add(points[index]);
        }
        return result;
    }

    /// <summary>Writes the distinct indexes to keep from [start, end), most important first, and returns how many.</summary>
    private static int Pick(IReadOnlyList<StoredPoint> points, int start, int end, Span<int> picks)
    {
        int firstNaN = -1, min = -1, max = -1;
        for (var i = start; i < end; i++)
        {
            var value = points[i].Value;
            if (double.IsNaN(value))
            {
                if (firstNaN < 0)
                    firstNaN = i;
                continue;
            }
            if (min < 0 || value < points[min].Value)
                min = i;
            if (max < 0 || value > points[max].Value)
                max = i;
        }
        var count = 0;
        foreach (var candidate in (ReadOnlySpan<int>)[firstNaN, max, min, start, end - 1])
        {
            if (count < picks.Length && candidate >= 0 && !picks[..count].Contains(candidate))
                picks[count++] = candidate;
        }
        return count;
    }
}
