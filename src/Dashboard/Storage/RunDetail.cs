using System.Text.Json.Nodes;

namespace Dashboard.Storage;

/// <summary>`GET /api/runs/{id}`: the run, its logged configuration and a summary of every metric.</summary>
public sealed record RunDetail(RunSummary Run, JsonObject? Config, IReadOnlyList<MetricSummary> Metrics, long SkippedBytes);
