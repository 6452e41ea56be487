namespace Dashboard.Storage;

/// <summary>
/// One page of the run list: filters, an order and a window. Text matches a run's name, project or
/// source; <see cref="Tag"/> and <see cref="Project"/> match exactly.
/// </summary>
public sealed record RunQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    /// <summary>Every run, most recently updated first, the first page.</summary>
    public static RunQuery Default { get; } = new();

    public int Limit { get; init; } = DefaultLimit;
    public int Offset { get; init; }
    public RunSort Sort { get; init; } = RunSort.Updated;

    /// <summary>
    /// Orders by the last value of this metric instead of <see cref="Sort"/>; runs without one (or whose
    /// last value is NaN) come last either way.
    /// </summary>
    public string? SortKey { get; init; }

    public bool Descending { get; init; } = true;
    public string? Text { get; init; }
    public string? Project { get; init; }
    public RunStatus? Status { get; init; }
    public string? Tag { get; init; }

    /// <summary>Only runs with (true) or without (false) an alert not yet resolved.</summary>
    public bool? HasActiveAlerts { get; init; }

    /// <summary>Runs that started at or after this time.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Runs that started before this time.</summary>
    public DateTimeOffset? StartedBefore { get; init; }
}

/// <summary>What the run list can be ordered by.</summary>
public enum RunSort
{
    Updated,
    Started,
    Name,
    Project,
    Status,
    Step,
}

/// <summary>A page of runs and how many runs match the query in all.</summary>
public sealed record RunPage(IReadOnlyList<RunSummary> Runs, int Total);
