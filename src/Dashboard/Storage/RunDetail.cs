using System.Text.Json.Nodes;

namespace Dashboard.Storage;

/// <summary>`GET /api/runs/{id}`: the run, its logged configuration, a summary of every metric, and what ingestion set aside.</summary>
public sealed record RunDetail(RunSummary Run, JsonObject? Config, IReadOnlyList<MetricSummary> Metrics, long SkippedBytes, IReadOnlyList<SetAside> SetAside)
{
    /// <summary>What a user wrote about the run, or null.</summary>
    public string? Note { get; init; }
}

/// <summary>Records of the run the writer kept aside instead of storing (points out of range, a batch that failed twice), with why.</summary>
public sealed record SetAside(long Id, string Reason, int Points, int Events, DateTimeOffset At);
