using System.Globalization;
using Dashboard.Configuration;
using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// Runs one job on the GPU slot whose queue it came from (one worker per slot): starts the configured command, keeps its progress
/// and last lines (saved and sent live a few times a second), then turns its output folder into points
/// of the run and a sample gallery, or fails the job with the reason.
/// At shutdown the process is killed and the job left running: the next start finds it interrupted.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<DashboardDbContext> contexts,
    JobQueue queue,
    GpuSlots slots,
    JobFolders folders,
    JobNotifier notifier,
    IngestWriter writer,
    IOptions<DashboardOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<JobRunner> logger)
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(long jobId, int slotIndex, CancellationToken workerToken)
    {
        var cancel = queue.Register(jobId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(workerToken, lifetime.ApplicationStopping);
        try
        {
            // A slot list changed across a restart still maps every queued job onto a slot.
            var slot = slots.All[slotIndex % slots.All.Count];
            if (cancel.IsCancellationRequested)
                await queue.FinishIfQueuedAsync(jobId, JobStatus.Cancelled, "cancelled before it started", CancellationToken.None);
            else if (await StartAsync(jobId, slot, stop.Token) is { } job)
                await ExecuteAsync(job, cancel.Token, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Unregister(jobId);
            queue.Ended(jobId);
        }
    }

    /// <summary>Queued → running, unless the job was cancelled (or is not queued) meanwhile.</summary>
    private async Task<JobEntity?> StartAsync(long jobId, string slot, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var started = await db.Set<JobEntity>().Where(j => j.Id == jobId && j.Status == JobStatus.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.Slot, slot).SetProperty(j => j.Attempts, j => j.Attempts + 1)
            .SetProperty(j => j.StartedAtMs, now).SetProperty(j => j.ProgressDone, (int?)null).SetProperty(j => j.ProgressTotal, (int?)null),
            cancellationToken);
        return started == 1 ? await db.Set<JobEntity>().SingleAsync(j => j.Id == jobId, cancellationToken) : null;
    }

    private async Task ExecuteAsync(JobEntity job, CancellationToken cancel, CancellationToken stop)
    {
        var jobs = options.Value.Jobs;
        var tail = new OutputTail(jobs.OutputLines);
        if (job.Attempts > 1)
            tail.Add($"[dashboard] attempt {job.Attempts}: the previous attempt was interrupted when the service stopped");
        await SaveAsync(job, tail.Text(), tail, stop);

        var output = folders.Output(job.Id);
        if (Directory.Exists(output))
            Directory.Delete(output, recursive: true);
        Directory.CreateDirectory(output);
        var (command, workingDirectory, checkpoint) = await CommandAsync(job, output, stop);
        if (checkpoint is null)
        {
            // Checked again here, not only when the job was queued: the file may have become a link since,
            // and rows queued before this check existed must not run on a host file either.
            await FinishAsync(job, tail, JobStatus.Failed, $"{JobCheckpoint.Shown(null, job.Checkpoint)} is not a checkpoint file in the run's folder", null, stop);
            return;
        }
        if (command.Count == 0)
        {
            await FinishAsync(job, tail, JobStatus.Failed, $"Jobs:{job.Kind}:Command is not configured", null, stop);
            return;
        }
        logger.LogInformation("Job {JobId} ({Kind}) on {Checkpoint}: slot {Slot}, {Program}", job.Id, job.Kind, job.Checkpoint, job.Slot, command[0]);

        var timeout = TimeSpan.FromMinutes(jobs.TimeoutMinutes);
        var process = EvaluatorProcess.RunAsync(command, workingDirectory, job.Slot!, timeout, tail, cancel, stop);
        while (!process.IsCompleted)
        {
            await Task.WhenAny(process, Task.Delay(SaveInterval, CancellationToken.None));
            if (tail.TakeChanged() is { } text)
                await SaveAsync(job, text, tail, CancellationToken.None);
        }
        var outcome = await process;
        switch (outcome.End)
        {
            case ProcessEnd.Stopped:
                await SaveAsync(job, tail.Text(), tail, CancellationToken.None);
                logger.LogWarning("Job {JobId} interrupted by shutdown; it is retried at the next start", job.Id);
                return;
            case ProcessEnd.Cancelled:
                await FinishAsync(job, tail, JobStatus.Cancelled, "cancelled while running (process killed)", null, CancellationToken.None);
                return;
            case ProcessEnd.TimedOut:
                await FinishAsync(job, tail, JobStatus.Failed, $"timed out after {Minutes(jobs.TimeoutMinutes)} (Jobs:TimeoutMinutes); process killed", null, CancellationToken.None);
                return;
            case ProcessEnd.CouldNotStart:
                await FinishAsync(job, tail, JobStatus.Failed, outcome.Error!, null, CancellationToken.None);
                return;
        }
        job.ExitCode = outcome.ExitCode;
        if (outcome.ExitCode != 0)
        {
            await FinishAsync(job, tail, JobStatus.Failed, $"exited with code {outcome.ExitCode}", null, CancellationToken.None);
            return;
        }
        await CollectAsync(job, tail, output, stop);
    }

    private async Task CollectAsync(JobEntity job, OutputTail tail, string output, CancellationToken stop)
    {
        JobResults results;
        try
        {
            results = JobResults.Read(job.Kind, output);
        }
        catch (Exception error) when (error is FormatException or IOException)
        {
            await FinishAsync(job, tail, JobStatus.Failed, $"bad output: {error.Message}", null, CancellationToken.None);
            return;
        }
        var step = results.Metrics?.Step ?? job.CheckpointStep;
        if (results.Metrics is { } metrics)
        {
            if (step is null)
            {
                await FinishAsync(job, tail, JobStatus.Failed, "bad output: metrics.json has no step and the checkpoint's name tells none", null, CancellationToken.None);
                return;
            }
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await writer.SubmitRunPointsAsync(job.RunId, [.. metrics.Metrics.Select(m => new MetricPoint(m.Key, step.Value, m.Value, now))], stop);
        }
        job.ResultStep = step;
        job.MetricsJson = results.MetricsJson();
        job.SamplesJson = results.SamplesJson();
        await FinishAsync(job, tail, JobStatus.Succeeded, null, step, CancellationToken.None);
    }

    /// <summary>
    /// The command with its placeholders filled, the folder it runs in (the run's, when it has one), and the
    /// checkpoint's real path: null when the job's checkpoint is not (or no longer) a file in the run's folder tree.
    /// </summary>
    private async Task<(IReadOnlyList<string> Command, string WorkingDirectory, string? Checkpoint)> CommandAsync(JobEntity job, string output, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == job.RunId, cancellationToken);
        if (RunCheckpoint.Find(run.Source, job.Checkpoint) is not { Exists: true } checkpoint)
            return ([], output, null);
        var runDir = Path.GetDirectoryName(run.Source)!;
        var config = Path.Combine(output, "run_config.json");
        await File.WriteAllTextAsync(config, run.ConfigJson ?? "{}", cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CommandTemplate.Checkpoint] = checkpoint.FullPath,
            [CommandTemplate.Output] = output,
            [CommandTemplate.RunDir] = runDir,
            [CommandTemplate.Step] = job.CheckpointStep?.ToString(CultureInfo.InvariantCulture) ?? "",
            [CommandTemplate.Config] = config,
        };
        var template = JobsOptionsValidation.CommandOf(options.Value.Jobs, job.Kind == JobKind.Sample ? "sample" : "evaluate");
        return (template.Count == 0 ? [] : CommandTemplate.Expand(template, values), runDir, checkpoint.FullPath);
    }

    private async Task SaveAsync(JobEntity job, string text, OutputTail tail, CancellationToken cancellationToken)
    {
        job.OutputTail = text;
        job.ProgressDone = tail.Progress?.Done;
        job.ProgressTotal = tail.Progress?.Total;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Set<JobEntity>().Update(job);
        await db.SaveChangesAsync(cancellationToken);
        await notifier.PublishAsync(job, cancellationToken);
    }

    private async Task FinishAsync(JobEntity job, OutputTail tail, JobStatus status, string? reason, long? step, CancellationToken cancellationToken)
    {
        job.Status = status;
        job.Reason = reason;
        job.ResultStep = step;
        job.FinishedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await SaveAsync(job, tail.Text(), tail, cancellationToken);
        if (status == JobStatus.Succeeded)
            logger.LogInformation("Job {JobId} succeeded (step {Step})", job.Id, step);
        else
            logger.LogWarning("Job {JobId} {Status}: {Reason}", job.Id, status, reason);
    }

    private static string Minutes(double minutes) =>
        minutes < 1 ? $"{minutes * 60:0.#} s" : $"{minutes:0.##} min";
}
