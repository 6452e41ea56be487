namespace Dashboard.Jobs;

/// <summary>
/// One checkpoint of a run (`GET /api/runs/{id}/checkpoints`), with the jobs that ran on it. <see cref="Node"/> names
/// the training node that holds it when that is not the service's machine: its size is unknown here and its
/// worker runs its jobs.
/// </summary>
public sealed record CheckpointView(
    string Path,
    string Name,
    long? Step,
    bool IsBest,
    long? SizeBytes,
    DateTimeOffset SavedAt,
    bool Exists,
    IReadOnlyList<CheckpointJobView> Jobs,
    string? Node = null);

public sealed record CheckpointJobView(long Id, JobKind Kind, JobStatus Status);
