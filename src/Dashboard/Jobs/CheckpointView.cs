namespace Dashboard.Jobs;

/// <summary>One checkpoint of a run (`GET /api/runs/{id}/checkpoints`), with the jobs that ran on it.</summary>
public sealed record CheckpointView(
    string Path,
    string Name,
    long? Step,
    bool IsBest,
    long? SizeBytes,
    DateTimeOffset SavedAt,
    bool Exists,
    IReadOnlyList<CheckpointJobView> Jobs);

public sealed record CheckpointJobView(long Id, JobKind Kind, JobStatus Status);
