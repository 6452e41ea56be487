namespace Dashboard.Components.Model;

/// <summary>
/// One line of a chart: a metric of a run, under the name its legend shows. A run page draws its own
/// run's keys; the compare page draws one key of many runs, each run in its own colour on every chart
/// and each key of a chart in its own dash (train/mIoU solid, val/mIoU dashed). Relative time counts
/// from the run's start (<see cref="StartedMs"/>, Unix milliseconds).
/// </summary>
public sealed record ChartSeries(long RunId, string Key, string Name, string Color, string Dash = "solid")
{
    private static readonly string[] Dashes = ["solid", "dash", "dot", "dashdot"];

    public long StartedMs { get; init; }

    public static string DashOf(int index) => Dashes[index % Dashes.Length];

    // D3's category10, plotly.js's own default colorway: set on each line, so its smoothed curve matches it.
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string ColorOf(int index) => Palette[index % Palette.Length];

    /// <summary>The keys of one run, named as they are.</summary>
    public static IReadOnlyList<ChartSeries> OfRun(long runId, DateTimeOffset started, IEnumerable<string> keys) =>
        [.. keys.Select((key, i) => new ChartSeries(runId, key, key, ColorOf(i)) { StartedMs = started.ToUnixTimeMilliseconds() })];
}
