using Dashboard.Storage;

namespace Dashboard.Components.Model;

/// <summary>One row of the run table on `/` (and the header of a run page), ready to render.</summary>
public sealed record RunListRow(
    long Id,
    string Name,
    string Project,
    string Source,
    string Status,
    RunProgress Progress,
    IReadOnlyList<LastValueCell> LastValues,
    string StartedAtIso,
    string StartedAtText,
    string UpdatedAtIso,
    string UpdatedAgo)
{
    /// <summary>How many last values the table shows per run.</summary>
    public const int MaxLastValues = 4;

    public string Href => $"/runs/{Id}";

    /// <summary>Every metric's last value, for the columns a user picks on the run list.</summary>
    public IReadOnlyList<LastValue> Values { get; init; } = [];

    /// <summary>The last value of a metric as a cell, or null when the run has no such metric.</summary>
    public LastValueCell? ValueOf(string key) =>
        Values.FirstOrDefault(v => v.Key == key) is { } v ? new LastValueCell(v.Key, ValueFormat.Value(v.Value), v.Step) : null;

    public bool IsLive => Status == "running";

    public static RunListRow From(RunSummary run, DateTimeOffset now) => new(
        run.Id,
        run.Name,
        run.Project,
        run.Source,
        StatusText(run.Status),
        RunProgress.From(run),
        PickLastValues(run.LastValues),
        ValueFormat.Iso(run.StartedAt),
        ValueFormat.UtcText(run.StartedAt),
        ValueFormat.Iso(run.UpdatedAt),
        ValueFormat.Ago(now - run.UpdatedAt)) { Values = run.LastValues };

    /// <summary>Lowercase, as the API and the hub write it.</summary>
    public static string StatusText(RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// A few last values, one per family in turn (a loss, a metric, the self-training count, a
    /// learning rate, then the next of each), validation before training within a family.
    /// </summary>
    public static IReadOnlyList<LastValueCell> PickLastValues(IReadOnlyList<LastValue> values) =>
        values
            .Select((v, i) => (v, i, family: MetricFamilies.Classify(v.Key)))
            .GroupBy(x => x.family)
            .SelectMany(g => g
                .OrderBy(x => MetricFamilies.IsValidation(x.v.Key) ? 0 : 1)
                .ThenBy(x => x.i)
                .Select((x, rank) => (x.v, rank, x.family)))
            .OrderBy(x => x.rank)
            .ThenBy(x => (int)x.family)
            .Take(MaxLastValues)
            .Select(x => new LastValueCell(x.v.Key, ValueFormat.Value(x.v.Value), x.v.Step))
            .ToList();
}

public sealed record LastValueCell(string Key, string Text, long Step);
