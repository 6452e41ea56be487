using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>
/// What the report asks of a metric once every metric is digested, as the questions depend on the
/// others: its values at the milestone and evaluation steps, its change within each phase, and,
/// for the headline loss, its distribution and how it ended.
/// </summary>
public sealed record MetricLook(string Key, IReadOnlyDictionary<long, StoredPoint> AtOrBefore, IReadOnlyList<Phase> Phases, Histogram? Distribution, Finding? Tail)
{
    public static MetricLook Of(MetricInput metric, IEnumerable<long> steps, IReadOnlyList<RegimeSwitch> switches, long firstStep, long lastStep, bool headlineLoss)
    {
        var values = new Dictionary<long, StoredPoint>();
        foreach (var step in steps)
            if (MetricStatistics.AtOrBefore(metric.Points, step) is { } p)
                values[step] = p;
        return new MetricLook(metric.Key, values,
            RegimeSwitches.Phases(switches, [metric], firstStep, lastStep),
            headlineLoss ? ReportCharts.Distribution(metric.Key, metric.Points) : null,
            headlineLoss ? Conclusions.Tail(metric) : null);
    }
}
