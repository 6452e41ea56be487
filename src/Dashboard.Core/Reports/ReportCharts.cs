using Dashboard.Core.Records;
using Dashboard.Core.Statistics;

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

    public static IReadOnlyList<ReportChart> Build(IReadOnlyList<RunInput> runs)
    {
        var multiple = runs.Count > 1;
        var groups = runs
            .SelectMany(run => run.Metrics.Where(m => m.Points.Count > 0).Select(metric => (Run: run, Metric: metric)))
            .GroupBy(x => GroupKey(x.Metric.Key))
            .OrderBy(g => Array.IndexOf(FamilyOrder, g.Key.Family))
            .ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .ToList();

        var charts = new List<ReportChart>();
        foreach (var group in groups)
        {
            var title = group.Key.Family == MetricKinds.LearningRate ? "Learning rate" : group.Key.Name;
            var series = group
                .OrderBy(x => runs.ToList().IndexOf(x.Run))
                .ThenBy(x => MetricKinds.EvaluationRank(x.Metric.Key) ?? -1)
                .ThenBy(x => x.Metric.Key, StringComparer.Ordinal)
                .Select(x => new ChartSeries(multiple ? $"{x.Run.Name}: {x.Metric.Key}" : x.Metric.Key, x.Run.Id, x.Metric.Key, Downsampler.Reduce(x.Metric.Points, MaxPointsPerSeries)))
                .ToList();
            charts.Add(new ReportChart($"c{charts.Count + 1}", title, ReportChart.Line, series, null));
        }

        foreach (var run in runs)
        {
            if (HeadlineLoss(run.Metrics) is not { } loss || Distribution(loss.Key, loss.Points) is not { } histogram)
                continue;
            var title = multiple ? $"Distribution of {loss.Key} ({run.Name})" : $"Distribution of {loss.Key}";
            charts.Add(new ReportChart($"c{charts.Count + 1}", title, ReportChart.Distribution, [], histogram));
        }
        return charts;
    }

    /// <summary>The loss a team watches first: a total loss when there is one, else the most logged loss.</summary>
    public static MetricInput? HeadlineLoss(IReadOnlyList<MetricInput> metrics) =>
        metrics
            .Where(m => MetricKinds.Family(m.Key) == MetricKinds.Losses && m.Points.Count > 0 && MetricKinds.EvaluationRank(m.Key) is null)
            .OrderBy(m => m.Key.Contains("total", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenByDescending(m => m.Points.Count)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .FirstOrDefault();

    public static Histogram? Distribution(string key, IReadOnlyList<StoredPoint> points)
    {
        var finite = points.Where(p => double.IsFinite(p.Value)).Select(p => p.Value).ToList();
        if (finite.Count == 0)
            return null;
        double min = finite.Min(), max = finite.Max();
        var counts = new long[HistogramBins];
        var width = max > min ? (max - min) / HistogramBins : 1;
        foreach (var v in finite)
            counts[max > min ? Math.Min(HistogramBins - 1, (int)((v - min) / width)) : 0]++;
        return new Histogram(key, min, max, width, counts, points.Count - finite.Count);
    }

    private static (string Family, string Name) GroupKey(string key)
    {
        var family = MetricKinds.Family(key);
        return (family, family == MetricKinds.LearningRate ? "" : MetricKinds.BaseName(key));
    }
}
