using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>
/// The report's charts: one per quantity (train and validation of a quantity together; every
/// learning rate on one chart), families in the order losses, metrics, counts, learning rate,
/// other; then the distribution of each run's headline loss.
/// </summary>
public static class ReportCharts
{
    public const int MaxPointsPerSeries = 1500;
    public const int HistogramBins = 30;
    private static readonly string[] FamilyOrder = [MetricKinds.Losses, MetricKinds.Metrics, MetricKinds.Count, MetricKinds.LearningRate, MetricKinds.Other];

    public static IReadOnlyList<ReportChart> Build(IReadOnlyList<DescribedRun> runs)
    {
        var multiple = runs.Count > 1;
        var groups = runs
            .SelectMany((run, index) => run.Metrics.Select(metric => (Run: run.Run, Index: index, Metric: metric)))
            .GroupBy(x => GroupKey(x.Metric.Key))
            .OrderBy(g => Array.IndexOf(FamilyOrder, g.Key.Family))
            .ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .ToList();

        var charts = new List<ReportChart>();
        foreach (var group in groups)
        {
            var title = group.Key.Family == MetricKinds.LearningRate ? "Learning rate" : group.Key.Name;
            var series = group
                .OrderBy(x => x.Index)
                .ThenBy(x => MetricKinds.EvaluationRank(x.Metric.Key) ?? -1)
                .ThenBy(x => x.Metric.Key, StringComparer.Ordinal)
                .Select(x => new ChartSeries(multiple ? $"{x.Run.Name}: {x.Metric.Key}" : x.Metric.Key, x.Run.Id, x.Metric.Key, x.Metric.Chart))
                .ToList();
            charts.Add(new ReportChart($"c{charts.Count + 1}", title, ReportChart.Line, series, null));
        }

        foreach (var run in runs)
        {
            if (run.Distribution is not { } histogram)
                continue;
            var title = multiple ? $"Distribution of {histogram.Key} ({run.Run.Name})" : $"Distribution of {histogram.Key}";
            charts.Add(new ReportChart($"c{charts.Count + 1}", title, ReportChart.Distribution, [], histogram));
        }
        return charts;
    }

    /// <summary>The loss a team watches first: a total loss when there is one, else the most logged loss.</summary>
    public static MetricDigest? HeadlineLoss(IReadOnlyList<MetricDigest> metrics) =>
        metrics
            .Where(m => MetricKinds.Family(m.Key) == MetricKinds.Losses && m.Count > 0 && MetricKinds.EvaluationRank(m.Key) is null)
            .OrderBy(m => m.Key.Contains("total", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenByDescending(m => m.Count)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Two passes over the points rather than a copy of their values: the headline loss is often the longest series.</summary>
    public static Histogram? Distribution(string key, IReadOnlyList<StoredPoint> points)
    {
        var finite = 0;
        double min = 0, max = 0;
        foreach (var p in points)
        {
            if (!double.IsFinite(p.Value))
                continue;
            // The first of equal extremes, as Enumerable.Min and Max keep it (0 and -0 differ in print).
            if (finite == 0 || p.Value < min) min = p.Value;
            if (finite == 0 || p.Value > max) max = p.Value;
            finite++;
        }
        if (finite == 0)
            return null;
        var counts = new long[HistogramBins];
        var width = max > min ? (max - min) / HistogramBins : 1;
        foreach (var p in points)
            if (double.IsFinite(p.Value))
                counts[max > min ? Math.Min(HistogramBins - 1, (int)((p.Value - min) / width)) : 0]++;
        return new Histogram(key, min, max, width, counts, points.Count - finite);
    }

    private static (string Family, string Name) GroupKey(string key)
    {
        var family = MetricKinds.Family(key);
        return (family, family == MetricKinds.LearningRate ? "" : MetricKinds.BaseName(key));
    }
}
