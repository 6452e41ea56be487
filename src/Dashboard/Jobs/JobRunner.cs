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
/// of the run and a sample gallery (images kept in the store), or fails the job with the reason.
/// Hangfire's job token fires when the job is cancelled (its Hangfire job deleted, from any instance) and at
/// shutdown; at shutdown the process is killed, the job is left running and given back to Hangfire, and the
/// next pick-up finds it interrupted: it runs once more, and a second interruption fails it.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<DashboardDbContext> contexts,
    GpuSlots slots,
    ServedQueues served,
    JobFolders folders,
    JobNotifier notifier,
    IngestWriter writer,
    IOptions<DashboardOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<JobRunner> logger)
{
    /// <summary>A job is started at most this often in all (the first run and one more after an interruption).</summary>
    public const int MaxAttempts = 2;

    private static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(long jobId, string queue, CancellationToken jobToken)
    {
        var stop = lifetime.ApplicationStopping;
        // A slot list changed across a restart still maps every queued job onto a slot.
        var slot = slots.All[(JobQueueNames.Slot(queue) ?? 0) % slots.All.Count];
        if (await StartAsync(jobId, slot, stop) is not { } job)
            return;
        await ExecuteAsync(job, jobToken, stop);
        // Thrown so that Hangfire gives the job back to its queue instead of counting it done.
        stop.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Queued → running. A job found running was interrupted (Hangfire hands a job out again only once its
    /// worker is gone): it runs once more, or fails when that was its last attempt. Any other status (a
    /// cancelled or finished job, picked up twice) means there is nothing to do.
    /// </summary>
    private async Task<JobEntity?> StartAsync(long jobId, string slot, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Set<JobEntity>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) is not { Status: JobStatus.Queued or JobStatus.Running } found)
            return null;
        if (found.Status == JobStatus.Running && found.Attempts >= MaxAttempts)
        {
            var reason = $"interrupted: its worker stopped while it ran, {found.Attempts} times";
            logger.LogWarning("Job {JobId}: {Reason}", jobId, reason);
            var kept = new OutputTail(options.Value.Jobs.OutputLines);
            foreach (var line in found.OutputTail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                kept.Add(line);
            await FinishAsync(found, kept, JobStatus.Failed, reason, null, cancellationToken);
            return null;
        }
        // Only from the status and attempt seen, so two pick-ups of one job cannot both start it.
        var started = await db.Set<JobEntity>().Where(j => j.Id == jobId && j.Status == found.Status && j.Attempts == found.Attempts).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.Slot, slot).SetProperty(j => j.Attempts, j => j.Attempts + 1)
            .SetProperty(j => j.StartedAtMs, now).SetProperty(j => j.ProgressDone, (int?)null).SetProperty(j => j.ProgressTotal, (int?)null),
            cancellationToken);
        if (started == 1 && found.Status == JobStatus.Running)
            logger.LogWarning("Job {JobId} was running when its worker stopped; it runs once more", jobId);
        return started == 1 ? await db.Set<JobEntity>().AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken) : null;
    }

    private async Task ExecuteAsync(JobEntity job, CancellationToken cancel, CancellationToken stop)
    {
        var jobs = options.Value.Jobs;
        var tail = new OutputTail(jobs.OutputLines);
        if (job.Attempts > 1)
            tail.Add($"[dashboard] attempt {job.Attempts}: the previous attempt was interrupted when its worker stopped");
        await SaveAsync(job, tail.Text(), tail, stop);

        var output = folders.Output(job.Id);
        if (Directory.Exists(output))
            Directory.Delete(output, recursive: true);
        Directory.CreateDirectory(output);
        var (command, workingDirectory, checkpoint, problem) = await CommandAsync(job, output, stop);
        if (checkpoint is null)
        {
            // Checked again here, not only when the job was queued: the file may have become a link since,
            // and rows queued before this check existed must not run on a host file either.
            await FinishAsync(job, tail, JobStatus.Failed, problem ?? $"{JobCheckpoint.Shown(null, job.Checkpoint)} is not a checkpoint file in the run's folder", null, stop);
            return;
        }
        if (command.Count == 0)
        {
            await FinishAsync(job, tail, JobStatus.Failed, $"Jobs:{job.Kind}:Command is not configured{(served.Node is null ? "" : $" on node {served.Node}'s worker")}", null, stop);
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
                logger.LogWarning("Job {JobId} interrupted by shutdown; it runs once more when a worker picks it up again", job.Id);
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
        await KeepImagesAsync(job.Id, output, results, stop);
        await FinishAsync(job, tail, JobStatus.Succeeded, null, step, CancellationToken.None);
    }

    /// <summary>The job's images, into the store: whichever instance serves the job's page reads them from there.</summary>
    private async Task KeepImagesAsync(long jobId, string output, JobResults results, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<JobImageEntity>().Where(i => i.JobId == jobId).ExecuteDeleteAsync(cancellationToken);
        foreach (var name in results.Images)
            db.Set<JobImageEntity>().Add(new JobImageEntity { JobId = jobId, Name = name, Bytes = await File.ReadAllBytesAsync(Path.Combine(output, name), cancellationToken) });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The command with its placeholders filled, the folder it runs in (the run's), and the checkpoint's real
    /// path: null when the job's checkpoint is not (or no longer) a file in the run's folder tree on this
    /// machine, with the reason when it is another machine's.
    /// </summary>
    private async Task<(IReadOnlyList<string> Command, string WorkingDirectory, string? Checkpoint, string? Problem)> CommandAsync(JobEntity job, string output, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == job.RunId, cancellationToken);
        // A web instance runs its own watch folders' jobs, a worker its node's; a job on the wrong queue fails instead of reading another machine's path here.
        var location = RunLocation.Of(run.Source);
        if (location is not null && location.Node != served.Node)
            return ([], output, null, location.Node is null
                ? $"the run's log is on the web instance's machine, not on node {served.Node}"
                : $"the checkpoint is on node {location.Node}; this is {(served.Node is null ? "a web instance" : $"node {served.Node}'s worker")}");
        if (RunCheckpoint.Find(run.Source, job.Checkpoint, served.Node) is not { Exists: true, Node: null } checkpoint)
            return ([], output, null, null);
        // Found, so the run has a folder on this machine.
        var runDir = location!.Folder!;
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
        return (template.Count == 0 ? [] : CommandTemplate.Expand(template, values), runDir, checkpoint.FullPath, null);
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
