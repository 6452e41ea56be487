namespace Dashboard.Components.Model;

/// <summary>
/// One line of a chart: a metric of a run, under the name its legend shows. A run page draws its own
/// run's keys; the compare page draws one key of many runs, each run in its own colour on every chart.
/// </summary>
public sealed record ChartSeries(long RunId, string Key, string Name, string? Color = null)
{
    /// <summary>The keys of one run, named as they are.</summary>
    public static IReadOnlyList<ChartSeries> OfRun(long runId, IEnumerable<string> keys) =>
        [.. keys.Select(key => new ChartSeries(runId, key, key))];
}
