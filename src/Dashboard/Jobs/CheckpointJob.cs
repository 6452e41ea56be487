using Hangfire;

namespace Dashboard.Jobs;

/// <summary>
/// What Hangfire runs on a slot's queue: the job whose id it carries. Hangfire never retries it: our
/// own rule (a job interrupted by a restart runs once more, <see cref="JobStartup"/>) lives in the jobs
/// table, and a pick-up of a job that is no longer queued does nothing.
/// </summary>
public sealed class CheckpointJob(JobRunner runner)
{
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("checkpoint job #{0} on gpu{1}")]
    public Task RunAsync(long jobId, int slot, CancellationToken cancellationToken) =>
        runner.RunAsync(jobId, slot, cancellationToken);
}
