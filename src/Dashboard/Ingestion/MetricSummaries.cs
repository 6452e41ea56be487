using Dashboard.Core.Records;
using Dashboard.Storage.Entities;
using Dashboard.Storage.Points;
using Dashboard.Storage;

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

    /// <summary>The same as <see cref="Add"/> for each point in order, with the summary kept in locals meanwhile.</summary>
    public static void AddRange(MetricEntity metric, IReadOnlyList<StoredPoint> points)
    {
        if (points.Count == 0)
            return;
        if (metric.Count == 0)
        {
            metric.FirstStep = points[0].Step;
            metric.FirstValue = Stored(points[0].Value);
        }
        var hasMin = metric.MinValue is not null;
        double min = metric.MinValue ?? 0, max = metric.MaxValue ?? 0;
        long minStep = metric.MinStep ?? 0, maxStep = metric.MaxStep ?? 0;
        foreach (var (step, value, _) in points is List<StoredPoint> list ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : points.ToArray())
        {
            if (double.IsNaN(value))
                continue;
            if (!hasMin)
            {
                (min, max, minStep, maxStep, hasMin) = (value, value, step, step, true);
                continue;
            }
            if (value < min)
                (min, minStep) = (value, step);
            if (value > max)
                (max, maxStep) = (value, step);
        }
        metric.Count += points.Count;
        metric.LastStep = points[^1].Step;
        metric.LastValue = Stored(points[^1].Value);
        if (hasMin)
            (metric.MinStep, metric.MinValue, metric.MaxStep, metric.MaxValue) = (minStep, min, maxStep, max);
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
