using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>
/// Puts jobs in the store and on a GPU slot's Hangfire queue, and cancels or retries them. The jobs
/// table is the story the pages and API show: a job row is written before it is enqueued, and it keeps its
/// queue and Hangfire id, so any instance can take it off its queue or stop it while it runs.
/// </summary>
public sealed class JobQueue(
    IDbContextFactory<DashboardDbContext> contexts,
    IBackgroundJobClient hangfire,
    JobStorage storage,
    GpuSlots slots,
    JobNotifier notifier,
    TimeProvider clock)
{
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
        await ScheduleAsync(job, cancellationToken);
        await notifier.PublishAsync(job, cancellationToken);
        return job;
    }

    /// <summary>
    /// Puts the job on a Hangfire queue: the one it was on before (after a restart of the embedded default,
    /// whose Hangfire state is in memory), else the least busy of the queues that serve its run's machine.
    /// </summary>
    public async Task ScheduleAsync(JobEntity job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (job.Queue is null)
        {
            var source = await db.Runs.AsNoTracking().Where(r => r.Id == job.RunId).Select(r => r.Source).SingleAsync(cancellationToken);
            job.Queue = await LeastBusyAsync(db, Candidates(RunLocation.Of(source)?.Node), cancellationToken);
        }
        var queue = job.Queue;
        // The queue is stored before the job is on it: a quick job can finish before the next line returns, and its
        // record must not say it ran nowhere.
        var stored = db.Set<JobEntity>().Where(j => j.Id == job.Id);
        await stored.ExecuteUpdateAsync(s => s.SetProperty(j => j.Queue, queue), cancellationToken);
        job.HangfireId = hangfire.Create<CheckpointJob>(j => j.RunAsync(job.Id, queue, CancellationToken.None), new EnqueuedState(queue));
        await stored.ExecuteUpdateAsync(s => s.SetProperty(j => j.HangfireId, job.HangfireId), cancellationToken);
    }

    /// <summary>
    /// This machine's slots for a run of its own watch folders; for a training node's run, the queues its
    /// workers listen to now (the first slot's while none is up: the job waits there for one).
    /// </summary>
    private List<string> Candidates(string? node)
    {
        if (node is null)
            return [.. Enumerable.Range(0, slots.All.Count).Select(JobQueueNames.Local)];
        var prefix = JobQueueNames.NodePrefix(node);
        var served = storage.GetMonitoringApi().Servers().SelectMany(s => s.Queues)
            .Where(q => q.StartsWith(prefix, StringComparison.Ordinal) && JobQueueNames.Slot(q[prefix.Length..]) is not null)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return served.Count > 0 ? served : [JobQueueNames.OfNode(node, 0)];
    }

    /// <summary>The queue with the fewest jobs queued or running on it, counted in the store (every instance's jobs).</summary>
    private static async Task<string> LeastBusyAsync(DashboardDbContext db, List<string> queues, CancellationToken cancellationToken)
    {
        if (queues.Count == 1)
            return queues[0];
        var busy = await db.Set<JobEntity>().AsNoTracking()
            .Where(j => j.Queue != null && queues.Contains(j.Queue) && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .GroupBy(j => j.Queue!).Select(g => new { Queue = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Queue, g => g.Count, cancellationToken);
        return queues.MinBy(q => busy.GetValueOrDefault(q))!;
    }

    /// <summary>
    /// Takes a queued job off its queue, or stops a running one wherever it runs: Hangfire's job is deleted,
    /// and the worker running it hears that through the job's cancellation token (Jobs:CancelCheckMs) and
    /// kills the process.
    /// </summary>
    public async Task<JobEntity?> CancelAsync(long jobId, CancellationToken cancellationToken)
    {
        var job = await FinishIfQueuedAsync(jobId, JobStatus.Cancelled, "cancelled before it started", cancellationToken);
        if (job?.HangfireId is { } id)
            hangfire.Delete(id);
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

    /// <summary>Marks a job that never started as finished; the job as it is now (null when it is gone).</summary>
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

    private async Task<JobEntity?> FindAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobEntity>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
    }
}
