using Hangfire;

namespace Dashboard.Jobs;

/// <summary>
/// What Hangfire runs on a slot's queue: the job whose id it carries. Hangfire never retries it: our
/// own rule (a job interrupted by a restart runs once more, <see cref="JobRunner"/>) lives in the jobs
/// table, and a pick-up of a job that is no longer queued or running does nothing.
/// </summary>
public sealed class CheckpointJob(JobRunner runner)
{
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("checkpoint job #{0} on {1}")]
    public Task RunAsync(long jobId, string queue, CancellationToken cancellationToken) =>
        runner.RunAsync(jobId, queue, cancellationToken);
}
