namespace Dashboard.Jobs;

/// <summary>
/// Cancel and retry with their checks, shared by <c>POST /api/jobs/{id}/cancel|retry</c> and the jobs page,
/// so both refuse the same jobs with the same words. Whether the caller may write is the caller's check.
/// </summary>
public sealed class JobActions(JobQueue queue, JobReader reader)
{
    public async Task<JobActionResult> CancelAsync(long jobId, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(jobId, cancellationToken) is not { } job)
            return NotFound(jobId);
        if (job.Status is not (JobStatus.Queued or JobStatus.Running))
            return JobActionResult.Refused(StatusCodes.Status409Conflict, "Job is finished", $"Job {jobId} is {Named(job.Status)}; only queued or running jobs can be cancelled.");
        await queue.CancelAsync(jobId, cancellationToken);
        // Read again: a queued job is cancelled now, a running one is being stopped.
        return await reader.GetAsync(jobId, cancellationToken) is { } after ? JobActionResult.Done(after) : NotFound(jobId);
    }

    /// <summary>The new job on the same checkpoint, or why there is none.</summary>
    public async Task<JobActionResult> RetryAsync(long jobId, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(jobId, cancellationToken) is not { } old)
            return NotFound(jobId);
        if (await queue.RetryAsync(jobId, cancellationToken) is not { } job)
            return JobActionResult.Refused(StatusCodes.Status409Conflict, "Job cannot be retried", $"Job {jobId} is {Named(old.Status)}; only failed or cancelled jobs are retried.");
        return JobActionResult.Done(JobView.From(job));
    }

    private static JobActionResult NotFound(long jobId) =>
        JobActionResult.Refused(StatusCodes.Status404NotFound, "Job not found", $"There is no job {jobId}.");

    private static string Named(JobStatus status) => status.ToString().ToLowerInvariant();
}
