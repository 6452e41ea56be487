using Dashboard.Core.Records;
using Dashboard.Core.Statistics;

namespace Dashboard.Core.Reports;

/// <summary>
/// What a report needs from one metric's points, taken in one look at them: the report keeps this
/// and the chart's reduced series, never the points.
/// </summary>
public sealed record MetricDigest(
    string Key,
    MetricReport Statistics,
    StoredPoint First,
    StoredPoint Last,
    bool TimesAdvance,
    long LogEvery,
    RegimeSwitch? Switch,
    LearningRateSchedule? LearningRate,
    IReadOnlyList<StoredPoint> Chart)
{
    public long Count => Statistics.Count;

    public bool HasFinite => Statistics.Count > Statistics.NonFinite;

    /// <summary>Null for a metric without points: the report leaves it out.</summary>
    public static MetricDigest? Of(string key, IReadOnlyList<StoredPoint> points, IReadOnlyList<ConfigEntry> config)
    {
        if (points.Count == 0)
            return null;
        return new MetricDigest(key,
            MetricStatistics.Describe(key, points),
            points[0],
            points[^1],
            ThroughputMeter.TimesAdvance(points),
            ThroughputMeter.LogEvery(points),
            RegimeSwitches.Find(key, points),
            MetricKinds.Family(key) == MetricKinds.LearningRate ? LearningRates.Schedule(key, points, config) : null,
            // A copy: a short series comes back as the list itself, which may be the reader's buffer.
            [.. Downsampler.Reduce(points, ReportCharts.MaxPointsPerSeries)]);
    }
}
