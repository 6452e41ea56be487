using System.Collections.Concurrent;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Dashboard.Jobs;

/// <summary>
/// Puts jobs in the store and on Quartz's persistent schedule, and cancels or retries them. A job row
/// is written before its trigger, so a job whose trigger was never stored is scheduled again at start.
/// </summary>
public sealed class JobQueue(
    IDbContextFactory<DashboardDbContext> contexts,
    ISchedulerFactory schedulers,
    JobNotifier notifier,
    TimeProvider clock)
{
    public const string Group = "checkpoint-jobs";
    public const string JobIdKey = "jobId";

    private readonly ConcurrentDictionary<long, CancellationTokenSource> _active = new();

    public static JobKey KeyOf(long jobId) => new($"job-{jobId}", Group);

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

    /// <summary>Adds the job's one-shot trigger to the schedule unless it is there already.</summary>
    public async Task ScheduleAsync(long jobId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await scheduler.Exists(KeyOf(jobId), cancellationToken))
            return;
        var detail = JobBuilder.Create<CheckpointJob>().WithIdentity(KeyOf(jobId)).UsingJobData(JobIdKey, jobId).Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"job-{jobId}", Group).ForJob(detail).StartNow().Build();
        await scheduler.ScheduleJob(detail, trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    /// <summary>Stops a running job (its process is killed) or takes a queued one off the schedule.</summary>
    public async Task<JobEntity?> CancelAsync(long jobId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(jobId, out var running))
        {
            await running.CancelAsync();
            return await FindAsync(jobId, cancellationToken);
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(KeyOf(jobId), cancellationToken);
        return await FinishIfQueuedAsync(jobId, JobStatus.Cancelled, "cancelled before it started", cancellationToken);
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
