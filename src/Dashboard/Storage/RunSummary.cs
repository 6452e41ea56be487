using System.Text.Json.Serialization;

namespace Dashboard.Storage;

/// <summary>One row of the run list (`GET /api/runs`, the home page, the hub's `run` message).</summary>
public sealed record RunSummary(
    long Id,
    string Name,
    string Project,
    string Source,
    RunStatus Status,
    long? Step,
    long? TotalSteps,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<LastValue> LastValues)
{
    /// <summary>
    /// The run's tags where the answer was read for a list or a page; absent from the live bus's
    /// messages, which the writer makes without reading them.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>The latest value of one metric of a run.</summary>
public sealed record LastValue(string Key, long Step, double Value);
