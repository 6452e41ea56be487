using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>
/// A run's checkpoints: the checkpoint files the watcher recorded as events of the run, with their step
/// (from the name and the run's save interval), size and time, and the jobs that ran on each. An event
/// naming anything outside the run's folder tree (a log line can name any path) is no checkpoint, and
/// paths are shown relative to the run's folder.
/// </summary>
public sealed class CheckpointReader(IDbContextFactory<DashboardDbContext> contexts)
{
    /// <summary>Null when the run does not exist.</summary>
    public async Task<IReadOnlyList<CheckpointView>?> ListAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
            return null;
        var events = await db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == runId && e.Kind == RunEventKind.CheckpointSaved && e.Message.StartsWith(CheckpointScanner.MessagePrefix))
            .OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var jobs = (await db.Set<JobEntity>().AsNoTracking().Where(j => j.RunId == runId).OrderBy(j => j.Id).ToListAsync(cancellationToken))
            .ToLookup(j => JobCheckpoint.Shown(run.Source, j.Checkpoint), StringComparer.Ordinal);
        var interval = SaveInterval(run);
        var list = new Dictionary<string, CheckpointView>(StringComparer.Ordinal);
        foreach (var saved in events)
        {
            if (Find(run, saved.Message) is not { } checkpoint)
                continue;
            // Another node's file cannot be looked at from here: its size is unknown, its time the event's.
            var file = checkpoint.Node is null ? new FileInfo(checkpoint.FullPath) : null;
            var onDisk = file is { Exists: true };
            var name = CheckpointStep.Infer(checkpoint.Relative, interval);
            list[checkpoint.Relative] = new CheckpointView(
                checkpoint.Relative, Path.GetFileName(checkpoint.Relative), name.Step, name.IsBest, onDisk ? file!.Length : null,
                onDisk ? new DateTimeOffset(file!.LastWriteTimeUtc) : UnixTime.ToDate(saved.UnixMs),
                checkpoint.Exists, [.. jobs[checkpoint.Relative].Select(j => new CheckpointJobView(j.Id, j.Kind, j.Status))], checkpoint.Node);
        }
        return [.. list.Values.OrderBy(c => c.Step ?? long.MaxValue).ThenBy(c => c.SavedAt)];
    }

    /// <summary>The checkpoint a "Checkpoint saved: …" event names, when it is one of the run's (see <see cref="RunCheckpoint"/>).</summary>
    public static RunCheckpoint? Find(RunEntity run, string message) =>
        message.StartsWith(CheckpointScanner.MessagePrefix, StringComparison.Ordinal)
            ? RunCheckpoint.Find(run.Source, message[CheckpointScanner.MessagePrefix.Length..])
            : null;

    public static long? SaveInterval(RunEntity run) => CheckpointStep.SaveInterval(RunMapping.ParseConfig(run.ConfigJson));
}
