using System.Collections.Concurrent;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>
/// Puts jobs in the store and on a GPU slot's Hangfire queue, and cancels or retries them. The jobs
/// table is the story the pages and API show and what a restart reads back: a job row is written
/// before it is enqueued, and every queued row is enqueued again at start (<see cref="JobStartup"/>).
/// </summary>
public sealed class JobQueue(
    IDbContextFactory<DashboardDbContext> contexts,
    IBackgroundJobClient hangfire,
    GpuSlots slots,
    JobNotifier notifier,
    TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _active = new();
    // Jobs on a slot's queue that have not ended yet: whoever takes the entry out frees the slot's count.
    private readonly ConcurrentDictionary<long, (string HangfireId, int Slot)> _enqueued = new();

    public async Task<JobEntity> EnqueueAsync(long runId, JobKind kind, string checkpoint, long? step, string origin, CancellationToken cancellationToken)
    {
        var job = new JobEntity
        {
            RunId = runId,
            Kind = kind,
            Status = JobStatus.Queued,
            Checkpoint = checkpoint,
            CheckpointStep = step,
            Origin = origin,
            CreatedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Set<JobEntity>().Add(job);
            await db.SaveChangesAsync(cancellationToken);
        }
        await ScheduleAsync(job.Id, cancellationToken);
        await notifier.PublishAsync(job, cancellationToken);
        return job;
    }

    /// <summary>Enqueues the job on the least busy slot's queue unless it is on one already.</summary>
    public Task ScheduleAsync(long jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_enqueued.ContainsKey(jobId))
            return Task.CompletedTask;
        var slot = slots.Take();
        var id = hangfire.Create<CheckpointJob>(job => job.RunAsync(jobId, slot, CancellationToken.None), new EnqueuedState(GpuSlots.Queue(slot)));
        _enqueued[jobId] = (id, slot);
        return Task.CompletedTask;
    }

    /// <summary>The job has ended (or will never start): its slot counts one job fewer.</summary>
    internal void Ended(long jobId)
    {
        if (_enqueued.TryRemove(jobId, out var entry))
            slots.Done(entry.Slot);
    }

    /// <summary>Stops a running job (its process is killed) or takes a queued one off the schedule.</summary>
    public async Task<JobEntity?> CancelAsync(long jobId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(jobId, out var running))
        {
            await running.CancelAsync();
            return await FindAsync(jobId, cancellationToken);
        }
        var job = await FinishIfQueuedAsync(jobId, JobStatus.Cancelled, "cancelled before it started", cancellationToken);
        // Off its queue too, so the slot's worker does not pick it up only to find it cancelled.
        if (job?.Status == JobStatus.Cancelled && _enqueued.TryGetValue(jobId, out var entry) && hangfire.Delete(entry.HangfireId))
            Ended(jobId);
        return job;
    }

    /// <summary>A failed or cancelled job again, as a new job on the same checkpoint.</summary>
    public async Task<JobEntity?> RetryAsync(long jobId, CancellationToken cancellationToken)
    {
        var old = await FindAsync(jobId, cancellationToken);
        if (old is null || old.Status is not (JobStatus.Failed or JobStatus.Cancelled))
            return null;
        return await EnqueueAsync(old.RunId, old.Kind, old.Checkpoint, old.CheckpointStep, $"retry of #{old.Id}", cancellationToken);
    }

    /// <summary>Marks a job that never started as finished; null when it had started (or is gone).</summary>
    public async Task<JobEntity?> FinishIfQueuedAsync(long jobId, JobStatus status, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Set<JobEntity>().Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status).SetProperty(j => j.Reason, reason).SetProperty(j => j.FinishedAtMs, now), cancellationToken);
        var job = await db.Set<JobEntity>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (changed == 1 && job is not null)
            await notifier.PublishAsync(job, cancellationToken);
        return job;
    }

    /// <summary>The token a cancel request fires for a job being run.</summary>
    internal CancellationTokenSource Register(long jobId) => _active[jobId] = new CancellationTokenSource();

    internal void Unregister(long jobId)
    {
        if (_active.TryRemove(jobId, out var source))
            source.Dispose();
    }

    private async Task<JobEntity?> FindAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobEntity>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
    }
}
