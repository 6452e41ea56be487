using System.Runtime.InteropServices;
using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>
/// Training steps per second and per hour from the step and wall-time deltas of the most often
/// logged metric: (last step − first step) / (last time − first time). Lines are not steps.
/// </summary>
public static class ThroughputMeter
{
    /// <summary>
    /// The most often logged metric: its points carry the trainer's own timestamps where the log has
    /// them, while the lines of an evaluation block often have none (their wall time is when they were read).
    /// </summary>
    public static MetricDigest? Primary(IReadOnlyList<MetricDigest> metrics) =>
        metrics.Where(m => m.Count > 0).OrderByDescending(m => m.Count).ThenBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>
    /// False when most lines share their wall time with the line before: a log without timestamps
    /// read in one go, whose times say when it was read, not when the trainer wrote it.
    /// </summary>
    public static bool TimesAdvance(IReadOnlyList<StoredPoint> points)
    {
        var same = 0;
        for (var i = 1; i < points.Count; i++)
            if (points[i].UnixMs == points[i - 1].UnixMs)
                same++;
        return same * 2 <= points.Count - 1;
    }

    /// <summary>
    /// The median step gap between consecutive points, as sorting the gaps would give it, from a
    /// count of each distinct gap: a log has few, where a sorted copy would take the metric's size again.
    /// </summary>
    public static long LogEvery(IReadOnlyList<StoredPoint> points)
    {
        if (points.Count < 2)
            return 0;
        var counts = new Dictionary<long, int>();
        for (var i = 1; i < points.Count; i++)
            CollectionsMarshal.GetValueRefOrAddDefault(counts, points[i].Step - points[i - 1].Step, out _)++;
        var gaps = counts.Keys.Order().ToList();
        double Nth(int index)
        {
            foreach (var gap in gaps)
            {
                index -= counts[gap];
                if (index < 0)
                    return gap;
            }
            throw new InvalidOperationException("A gap index beyond the count of gaps.");
        }
        var n = points.Count - 1;
        var mid = n / 2;
        return (long)(n % 2 == 1 ? Nth(mid) : (Nth(mid - 1) + Nth(mid)) / 2);
    }

    public static Throughput? Measure(IReadOnlyList<MetricDigest> metrics, IReadOnlyList<ConfigEntry> config)
    {
        if (Primary(metrics) is not { Count: >= 2 } primary)
            return null;
        var first = primary.First;
        var last = primary.Last;
        var seconds = (last.UnixMs - first.UnixMs) / 1000.0;
        var steps = last.Step - first.Step;
        if (seconds <= 0 || steps <= 0 || !primary.TimesAdvance)
            return null;

        var logEvery = primary.LogEvery;
        var perSecond = steps / seconds;
        var batch = ConfigEntries.BatchSize(config);
        return new Throughput(
            first.Step, last.Step, steps, primary.Count, logEvery > 0 ? logEvery : null, seconds,
            perSecond, perSecond * 3600, batch?.Size, batch?.Key, batch is { } b ? perSecond * b.Size : null);
    }
}
