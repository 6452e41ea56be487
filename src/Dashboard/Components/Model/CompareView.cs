using System.Globalization;
using Dashboard.Core.Reports;
using Dashboard.Storage;

namespace Dashboard.Components.Model;

/// <summary>A run on the compare page, in the colour its lines have on every chart.</summary>
public sealed record CompareRun(long Id, string Name, string Project, string Status, string Color, DateTimeOffset StartedAt)
{
    public string Href => $"/runs/{Id}";
}

/// <summary>One run's figures of a metric: its last value, and its best (by the metric's direction) with the step.</summary>
public sealed record CompareCell(double Final, long FinalStep, double? Best, long? BestStep)
{
    public string FinalText => ValueFormat.Value(Final);

    public string? BestText => Best is { } best ? ValueFormat.Value(best) : null;

    /// <summary>What a run achieved: its best where the metric has a direction, else its last value.</summary>
    public double Figure => Best ?? Final;
}

/// <summary>An axis of the hyperparameter plot: a setting (or the chosen metric) and each run's value on it.</summary>
public sealed record ParallelAxis(string Label, IReadOnlyList<double> Values);

/// <summary>A metric's row of the table: a cell per run (null where the run has no such metric).</summary>
public sealed record CompareMetricRow(string Key, string Direction, IReadOnlyList<CompareCell?> Cells);

/// <summary>A configuration key's values per run (null where the run has no such key).</summary>
public sealed record CompareConfigRow(string Key, IReadOnlyList<string?> Values)
{
    public bool Differs => Values.Distinct(StringComparer.Ordinal).Count() > 1;
}

/// <summary>
/// What the compare page shows of the runs in its URL: charts by metric family with a line per run
/// (the same colour for a run on every chart), a table of final and best values, the configuration
/// side by side. Pure: built from the runs as the store gave them.
/// </summary>
public sealed record CompareView(
    IReadOnlyList<CompareRun> Runs, IReadOnlyList<ChartSection> Sections, IReadOnlyList<CompareMetricRow> Metrics, IReadOnlyList<CompareConfigRow> Config)
{
    /// <summary>Runs on one page: each draws a line on every chart.</summary>
    public const int MaxRuns = 100;

    /// <summary>`runs=3,7,12`: the ids in their order, duplicates dropped; or what is wrong with the text.</summary>
    public static (IReadOnlyList<long> Ids, string? Problem) ParseIds(string? text)
    {
        var ids = new List<long>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
                return ([], $"'{part}' is not a run id: the address takes ids separated by commas, such as ?runs=3,7,12.");
            if (!ids.Contains(id))
                ids.Add(id);
        }
        if (ids.Count > MaxRuns)
            return ([], $"At most {MaxRuns} runs can be compared at once; the address names {ids.Count}.");
        return (ids, null);
    }

    /// <summary>`metrics=Loss_CE,val/mIoU`: the keys to draw, or null for all.</summary>
    public static IReadOnlyList<string>? ParseMetrics(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } keys ? keys : null;

    public static CompareView Build(IReadOnlyList<RunDetail> runs, IReadOnlyList<string>? metrics)
    {
        var compared = runs.Select((r, i) => new CompareRun(r.Run.Id, r.Run.Name, r.Run.Project, RunListRow.StatusText(r.Run.Status), ChartSeries.ColorOf(i), r.Run.StartedAt)).ToList();
        var keys = MetricFamilies.Order(runs.SelectMany(r => r.Metrics.Select(m => m.Key)))
            .Where(k => metrics is null || metrics.Contains(k, StringComparer.Ordinal))
            .ToList();
        var rows = keys.Select(key => new CompareMetricRow(key, MetricKinds.Direction(key),
            [.. runs.Select(r => r.Metrics.FirstOrDefault(m => m.Key == key) is { } m ? Cell(m) : null)])).ToList();
        var configs = runs.Select(r => ConfigEntries.Flatten(r.Config).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)).ToList();
        var configKeys = configs.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var config = configKeys.Select(k => new CompareConfigRow(k, [.. configs.Select(c => c.GetValueOrDefault(k))])).ToList();
        return new CompareView(compared, MetricFamilies.Group(keys), rows, config);
    }

    /// <summary>Axes of the hyperparameter plot at most: beyond, the plot stops being readable.</summary>
    public const int MaxParallelSettings = 8;

    /// <summary>
    /// The hyperparameter plot against <paramref name="metric"/>: the numeric settings whose values differ
    /// between the runs, then the metric's figure, for the runs that have a finite one. Null when fewer than
    /// two such runs remain or no numeric setting differs.
    /// </summary>
    public ParallelPlot? Parallel(string metric)
    {
        if (Metrics.FirstOrDefault(m => m.Key == metric) is not { } row)
            return null;
        var runs = Enumerable.Range(0, Runs.Count).Where(i => row.Cells[i] is { } cell && double.IsFinite(cell.Figure)).ToList();
        var settings = Config
            .Select(c => (c.Key, Values: runs.Select(i => Number(c.Values[i])).ToList()))
            .Where(c => c.Values.All(v => v is not null) && c.Values.Distinct().Count() > 1)
            .Take(MaxParallelSettings)
            .Select(c => new ParallelAxis(c.Key, [.. c.Values.Select(v => v!.Value)]))
            .ToList();
        if (runs.Count < 2 || settings.Count == 0)
            return null;
        return ParallelPlot.Of([.. settings, new ParallelAxis(metric, [.. runs.Select(i => row.Cells[i]!.Figure)])],
            [.. runs.Select(i => (Runs[i].Id, Runs[i].Name))], row.Direction == MetricKinds.LowerIsBetter);
    }

    /// <summary>Whether any metric has a hyperparameter plot.</summary>
    public bool HasParallel => Metrics.Any(m => Parallel(m.Key) is not null);

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : null;

    /// <summary>The lines of one chart: each of its keys for each run that has it.</summary>
    public IReadOnlyList<ChartSeries> SeriesOf(ChartSpec spec) =>
    [
        .. Runs.SelectMany((run, i) => spec.Keys
            .Select((key, k) => (Key: key, Dash: ChartSeries.DashOf(k)))
            .Where(key => Metrics.Any(m => m.Key == key.Key && m.Cells[i] is not null))
            .Select(key => new ChartSeries(run.Id, key.Key, spec.Keys.Count == 1 ? run.Name : $"{run.Name} · {key.Key}", run.Color, key.Dash) { StartedMs = run.StartedAt.ToUnixTimeMilliseconds() })),
    ];

    private static CompareCell Cell(MetricSummary metric)
    {
        var best = MetricKinds.Direction(metric.Key) switch
        {
            MetricKinds.LowerIsBetter => metric.Min,
            MetricKinds.HigherIsBetter => metric.Max,
            _ => null,
        };
        return new CompareCell(metric.Last.Value, metric.Last.Step, best?.Value, best?.Step);
    }
}
