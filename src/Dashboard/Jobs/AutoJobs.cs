using Dashboard.Configuration;
using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Dashboard.Live;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// Starts jobs by the per-watch-root policies of Jobs:Auto when a committed batch brings checkpoint
/// events: on every new checkpoint, on every Nth of a run, or when <c>best_model.*</c> is saved (a new
/// best_* file, or a "new best" in the log while a best_* file is newer than its last job).
/// </summary>
public sealed class AutoJobs(
    LiveBus bus,
    JobQueue queue,
    IDbContextFactory<DashboardDbContext> contexts,
    IOptions<DashboardOptions> options,
    ILogger<AutoJobs> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var policies = options.Value.Jobs.Auto;
        if (policies.Count == 0)
            return;
        using var subscription = bus.Subscribe();
        try
        {
            await foreach (var committed in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                if (committed.Events.Count == 0 || Policy(policies, committed.Run.Source) is not { } policy)
                    continue;
                try
                {
                    await ApplyAsync(policy, committed, stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogError(error, "Automatic jobs for run {RunId} failed", committed.Run.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static AutoJobOptions? Policy(List<AutoJobOptions> policies, string source) =>
        RunLocation.Of(source) is { } run ? policies.FirstOrDefault(p => run.IsUnder(p.Root)) : null;

    private async Task ApplyAsync(AutoJobOptions policy, CommittedRun committed, CancellationToken cancellationToken)
    {
        var kind = policy.Kind == "sample" ? JobKind.Sample : JobKind.Evaluate;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == committed.Run.Id, cancellationToken);
        var interval = CheckpointReader.SaveInterval(run);
        var chosen = new List<string>();
        foreach (var saved in committed.Events)
        {
            // Only a file in the run's folder tree: a log line can name any path.
            if (saved.Kind == RunEventKind.CheckpointSaved && CheckpointReader.Find(run, saved.Message) is { Exists: true } checkpoint)
            {
                var path = checkpoint.Relative;
                var isBest = CheckpointStep.Infer(path, interval).IsBest;
                if (policy.When == "every" || (policy.When == "best" && isBest))
                    chosen.Add(path);
                else if (policy.When == "nth" && !isBest && await CountAsync(db, run, cancellationToken) % policy.N == 0)
                    chosen.Add(path);
            }
            else if (saved.Kind == RunEventKind.NewBest && policy.When == "best")
            {
                chosen.AddRange(await ReplacedBestAsync(db, run, kind, cancellationToken));
            }
        }
        foreach (var path in chosen.Distinct(StringComparer.Ordinal))
        {
            var job = await queue.EnqueueAsync(run.Id, kind, path, CheckpointStep.Infer(path, interval).Step, "auto", cancellationToken);
            logger.LogInformation("Automatic {Kind} job {JobId} on {Checkpoint}", kind, job.Id, path);
        }
    }

    /// <summary>How many numbered checkpoints of the run are recorded, this one included.</summary>
    private static async Task<int> CountAsync(DashboardDbContext db, RunEntity run, CancellationToken cancellationToken) =>
        (await db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == run.Id && e.Kind == RunEventKind.CheckpointSaved && e.Message.StartsWith(CheckpointScanner.MessagePrefix))
            .Select(e => e.Message).ToListAsync(cancellationToken))
        .Select(m => CheckpointReader.Find(run, m)?.Relative).OfType<string>().Distinct(StringComparer.Ordinal)
        .Count(path => !CheckpointStep.Infer(path, null).IsBest);

    /// <summary>
    /// The run's best_* checkpoints written since their last job of this kind (a training node's file: saved,
    /// as its agent last reported, since then).
    /// </summary>
    private static async Task<IEnumerable<string>> ReplacedBestAsync(DashboardDbContext db, RunEntity run, JobKind kind, CancellationToken cancellationToken)
    {
        var saved = await db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == run.Id && e.Kind == RunEventKind.CheckpointSaved && e.Message.StartsWith(CheckpointScanner.MessagePrefix))
            .Select(e => new { e.Message, e.UnixMs }).ToListAsync(cancellationToken);
        var found = new List<string>();
        foreach (var reported in saved.Select(e => (Checkpoint: CheckpointReader.Find(run, e.Message), e.UnixMs)).Where(e => e.Checkpoint is not null)
                     .GroupBy(e => e.Checkpoint!.Relative, StringComparer.Ordinal))
        {
            var checkpoint = reported.First().Checkpoint!;
            if (!CheckpointStep.Infer(checkpoint.Relative, null).IsBest || !checkpoint.Exists)
                continue;
            var path = checkpoint.Relative;
            var written = checkpoint.Node is null
                ? new DateTimeOffset(File.GetLastWriteTimeUtc(checkpoint.FullPath)).ToUnixTimeMilliseconds()
                : reported.Max(e => e.UnixMs);
            // Rows from before relative paths hold the full path.
            var last = await db.Set<JobEntity>().AsNoTracking().Where(j => j.RunId == run.Id && (j.Checkpoint == path || j.Checkpoint == checkpoint.FullPath) && j.Kind == kind)
                .MaxAsync(j => (long?)j.CreatedAtMs, cancellationToken);
            if (last is null || written > last)
                found.Add(path);
        }
        return found;
    }
}
