using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>
/// Before the Hangfire workers start, in the embedded default (whose Hangfire state lived in memory and is
/// gone): every job still queued or running goes back on its queue. A job found running when it is picked
/// up again was interrupted (<see cref="JobRunner"/>). On PostgreSQL, Hangfire's own state is durable and
/// gives an interrupted job back by itself once its worker stops renewing it (Jobs:InvisibilityTimeoutSeconds).
/// </summary>
public sealed class JobStartup(IDbContextFactory<DashboardDbContext> contexts, JobQueue queue, JobStorage storage) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage is not InMemoryStorage)
            return;
        List<JobEntity> unfinished;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            unfinished = await db.Set<JobEntity>().AsNoTracking().Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
                .OrderBy(j => j.Id).ToListAsync(cancellationToken);
        foreach (var job in unfinished)
        {
            // Placed afresh: the slots may have changed since.
            job.Queue = null;
            await queue.ScheduleAsync(job, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
