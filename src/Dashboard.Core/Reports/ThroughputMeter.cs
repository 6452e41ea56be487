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
    public static MetricInput? Primary(IReadOnlyList<MetricInput> metrics) =>
        metrics.Where(m => m.Points.Count > 0).OrderByDescending(m => m.Points.Count).ThenBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>
    /// False when most lines share their wall time with the line before: a log without timestamps
    /// read in one go, whose times say when it was read, not when the trainer wrote it.
    /// </summary>
    public static bool TimesAdvance(IReadOnlyList<Records.StoredPoint> points)
    {
        var same = 0;
        for (var i = 1; i < points.Count; i++)
            if (points[i].UnixMs == points[i - 1].UnixMs)
                same++;
        return same * 2 <= points.Count - 1;
    }

    public static Throughput? Measure(IReadOnlyList<MetricInput> metrics, IReadOnlyList<ConfigEntry> config)
    {
        if (Primary(metrics) is not { Points.Count: >= 2 } primary)
            return null;
        var first = primary.Points[0];
        var last = primary.Points[^1];
        var seconds = (last.UnixMs - first.UnixMs) / 1000.0;
        var steps = last.Step - first.Step;
        if (seconds <= 0 || steps <= 0 || !TimesAdvance(primary.Points))
            return null;

        var deltas = new List<double>(primary.Points.Count - 1);
        for (var i = 1; i < primary.Points.Count; i++)
            deltas.Add(primary.Points[i].Step - primary.Points[i - 1].Step);
        var logEvery = (long)MetricStatistics.Median(deltas);
        var perSecond = steps / seconds;
        var batch = ConfigEntries.BatchSize(config);
        return new Throughput(
            first.Step, last.Step, steps, primary.Points.Count, logEvery > 0 ? logEvery : null, seconds,
            perSecond, perSecond * 3600, batch?.Size, batch?.Key, batch is { } b ? perSecond * b.Size : null);
    }
}
