using Dashboard.Jobs;

namespace Dashboard.Components.Model;

/// <summary>How a job reads on the pages (the jobs page and a run's checkpoints).</summary>
public static class JobDisplay
{
    public static string Status(JobStatus status) => status.ToString().ToLowerInvariant();

    public static string Kind(JobKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>"12/50 (24%)", "running" when the evaluator prints no progress, "" when it is not running.</summary>
    public static string Progress(JobView job) => job.Progress is { } p
        ? $"{p.Done}/{p.Total} ({p.Fraction * 100:0}%)"
        : job.Status == JobStatus.Running ? "running" : "";

    public static int Percent(JobView job) => job.Progress is { } p ? (int)Math.Round(p.Fraction * 100) : job.Status == JobStatus.Succeeded ? 100 : 0;

    public static bool CanCancel(JobView job) => job.Status is JobStatus.Queued or JobStatus.Running;

    public static bool CanRetry(JobView job) => job.Status is JobStatus.Failed or JobStatus.Cancelled;

    public static string Metrics(JobView job) => job.Metrics is null ? "" : string.Join("  ", job.Metrics.Select(m => $"{m.Key} {ValueFormat.Value(m.Value)}"));
}
