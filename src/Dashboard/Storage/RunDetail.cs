using System.Text.Json.Nodes;

namespace Dashboard.Storage;

/// <summary>
/// `GET /api/runs/{id}`: the run, its logged configuration, a summary of every metric, what ingestion set aside,
/// the figures the framework printed about the whole run, and the runs of the same training (its stdout log and
/// its structured logs, in related folders).
/// </summary>
public sealed record RunDetail(RunSummary Run, JsonObject? Config, IReadOnlyList<MetricSummary> Metrics, long SkippedBytes, IReadOnlyList<SetAside> SetAside)
{
    /// <summary>What a user wrote about the run, or null.</summary>
    public string? Note { get; init; }

    public JsonObject? Summary { get; init; }

    public IReadOnlyList<RelatedRun> Related { get; init; } = [];
}

/// <summary>Records of the run the writer kept aside instead of storing (points out of range, a batch that failed twice), with why.</summary>
public sealed record SetAside(long Id, string Reason, int Points, int Events, DateTimeOffset At);
