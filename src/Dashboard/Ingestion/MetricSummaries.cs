using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Dashboard.Storage.Points;

namespace Dashboard.Ingestion;

/// <summary>Keeps a metric's count, first, last, min and max up to date point by point (min/max skip NaN).</summary>
public static class MetricSummaries
{
    public static void Add(MetricEntity metric, long step, double value)
    {
        if (metric.Count == 0)
        {
            metric.FirstStep = step;
            metric.FirstValue = Stored(value);
        }
        metric.Count++;
        metric.LastStep = step;
        metric.LastValue = Stored(value);
        if (double.IsNaN(value))
            return;
        if (metric.MinValue is null || value < metric.MinValue)
            (metric.MinStep, metric.MinValue) = (step, value);
        if (metric.MaxValue is null || value > metric.MaxValue)
            (metric.MaxStep, metric.MaxValue) = (step, value);
    }

    public static void Set(MetricEntity metric, PointAggregate aggregate)
    {
        metric.Count = aggregate.Count;
        (metric.FirstStep, metric.FirstValue) = Split(aggregate.First);
        (metric.LastStep, metric.LastValue) = Split(aggregate.Last);
        (metric.MinStep, metric.MinValue) = (aggregate.Min?.Step, aggregate.Min is { } min ? Stored(min.Value) : null);
        (metric.MaxStep, metric.MaxValue) = (aggregate.Max?.Step, aggregate.Max is { } max ? Stored(max.Value) : null);
    }

    private static (long, double?) Split(StepValue? value) => value is null ? (0, null) : (value.Step, Stored(value.Value));

    private static double? Stored(double value) => double.IsNaN(value) ? null : value;
}
