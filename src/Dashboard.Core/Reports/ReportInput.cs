using System.Text.Json.Nodes;
using Dashboard.Core.Records;
using Dashboard.Core.Rules;

namespace Dashboard.Core.Reports;

/// <summary>
/// Everything a report says about one run, read from the store when the report is made; its samples
/// come already frozen (<see cref="ReportSamples.Freeze"/>), as copying them is I/O.
/// </summary>
public sealed record RunInput(
    long Id,
    string Name,
    string Project,
    string Status,
    long? Step,
    long? TotalSteps,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    JsonObject? Config,
    IReadOnlyList<MetricInput> Metrics,
    IReadOnlyList<RunEvent> Events,
    IReadOnlyList<AlertInput> Alerts,
    SampleSection? Samples = null)
{
    /// <summary>What users wrote about the run, and its tags.</summary>
    public string? Note { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>Every stored point of one metric, in step order.</summary>
public sealed record MetricInput(string Key, IReadOnlyList<StoredPoint> Points);

/// <summary>An alert the rules engine raised during the run (the `alerts` table).</summary>
public sealed record AlertInput(
    string RuleId,
    string Metric,
    AlertSeverity Severity,
    string Message,
    string Advice,
    long? FirstStep,
    long? LastStep,
    double? Value,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ResolvedAt);
