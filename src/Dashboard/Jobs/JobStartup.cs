using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>
/// Before the Hangfire workers start: marks jobs that were running
/// when the service went down as interrupted (queued again once; failed the second time), and puts back
/// on its slot's queue every queued job.
/// </summary>
public sealed class JobStartup(
    IDbContextFactory<DashboardDbContext> contexts,
    JobQueue queue,
    TimeProvider clock,
    ILogger<JobStartup> logger) : IHostedService
{
    /// <summary>A job is started at most this often in all (the first run and one retry after an interruption).</summary>
    public const int MaxAttempts = 2;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<long> queued;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var job in await db.Set<JobEntity>().Where(j => j.Status == JobStatus.Running).ToListAsync(cancellationToken))
            {
                var retry = job.Attempts < MaxAttempts;
                job.Status = retry ? JobStatus.Queued : JobStatus.Failed;
                job.Reason = retry
                    ? "interrupted: the service stopped while it ran; retried once"
                    : $"interrupted: the service stopped while it ran, {job.Attempts} times";
                job.FinishedAtMs = retry ? null : now;
                job.Slot = retry ? null : job.Slot;
                logger.LogWarning("Job {JobId} was running when the service stopped: {Reason}", job.Id, job.Reason);
            }
            await db.SaveChangesAsync(cancellationToken);
            queued = await db.Set<JobEntity>().Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Id).Select(j => j.Id).ToListAsync(cancellationToken);
        }
        foreach (var id in queued)
            await queue.ScheduleAsync(id, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
