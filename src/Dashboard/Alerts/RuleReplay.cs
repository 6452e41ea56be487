using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Storage.Points;
using Dashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Alerts;

/// <summary>
/// Rebuilds a run's rule state from what the store holds (after a restart, or after a resume
/// rewrote points), or brings it up to date after the engine missed some of its commits: the stored
/// points of every metric a rule reads side by side in step order, a stored chunk of each at a time,
/// then the events at or after the last step (earlier ones are history the run went on past), then
/// its stalled flag. Copies of the state are offered on the way, as the live path offers them (up to
/// <see cref="MaxReaders"/> metrics; beyond, they are read one after another and no copy is taken).
/// </summary>
public sealed class RuleReplay(IDbContextFactory<DashboardDbContext> contexts, IPointStore points, RuleSet rules)
{
    /// <summary>Metrics read side by side at most: each needs a reader of its own, a connection (a PostgreSQL pool holds 100).</summary>
    public const int MaxReaders = 16;

    /// <summary>
    /// The run's rebuilt rule state, and the alerts that rose and cleared during the replay (history the store may lack):
    /// all of them, or with <paramref name="historyFrom"/> only those that held at or after that step (after a resume, what
    /// cleared before the step it went back to was replayed from the same points and is in the store as it was).
    /// The replay starts from the run's first point, or goes on from <paramref name="snapshot"/>, a copy of the run's state
    /// before <paramref name="historyFrom"/> taken from <paramref name="copies"/>, which is offered the state as it goes.
    /// </summary>
    public async Task<(RunRules Engine, IReadOnlyList<TrackedAlert> Resolved)> RebuildAsync(long runId, long? historyFrom, RunRules? snapshot, RuleSnapshots copies, CancellationToken cancellationToken)
    {
        var engine = snapshot ?? new RunRules(rules);
        return (engine, await ObserveStoredAsync(engine, runId, historyFrom, eventsFrom: null, copies, cancellationToken));
    }

    /// <summary>
    /// Brings a run's rule state up to what the store holds, from the last step it saw of each metric on
    /// (points it saw already are skipped), after the engine missed commits of that run: the alerts that
    /// rose and cleared meanwhile.
    /// </summary>
    public Task<IReadOnlyList<TrackedAlert>> CatchUpAsync(RunRules engine, long runId, RuleSnapshots copies, CancellationToken cancellationToken) =>
        ObserveStoredAsync(engine, runId, engine.LastStep, eventsFrom: engine.LastStep ?? long.MinValue, copies, cancellationToken);

    /// <summary>The stored points the engine has not seen, then the events from <paramref name="eventsFrom"/> on (by default the last step: earlier ones are history the run went on past), then the stalled flag.</summary>
    private async Task<IReadOnlyList<TrackedAlert>> ObserveStoredAsync(RunRules engine, long runId, long? historyFrom, long? eventsFrom, RuleSnapshots copies,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metrics = await db.Metrics.AsNoTracking().Where(m => m.RunId == runId).Select(m => new { m.Id, m.Key, m.Count, m.LastStep }).ToListAsync(cancellationToken);
        var resolved = new List<TrackedAlert>();
        engine.Bind(metrics.Select(m => m.Key));
        List<(long Id, string Key)> read = [.. metrics.Where(m => engine.Reads(m.Key)).Select(m => (m.Id, m.Key))];
        if (read.Count <= MaxReaders)
            await ObserveInStepOrderAsync(engine, read, resolved, historyFrom, copies, cancellationToken);
        else
        {
            // Too many to read side by side, a connection each: one after another, those a two-metric rule reads
            // together, and no copies on the way (they would hold some metrics read to the end and others not at all).
            foreach (var metric in read.Where(m => !engine.ReadsWithOther(m.Key)))
                await ObserveInStepOrderAsync(engine, [metric], resolved, historyFrom, copies: null, cancellationToken);
            await ObserveInStepOrderAsync(engine, [.. read.Where(m => engine.ReadsWithOther(m.Key))], resolved, historyFrom, copies: null, cancellationToken);
        }
        // No rule reads them (all of them, with the rules switched off): their stored last step is all the run's state needs.
        // After the others, so that no copy taken on the way holds a step beyond the points it read.
        foreach (var metric in metrics.Where(m => !engine.Reads(m.Key) && m.Count > 0))
            engine.Skip(metric.Key, metric.LastStep);
        var lastStep = eventsFrom ?? engine.LastStep ?? long.MinValue;
        // Only those at or after the last step (a step-less event always): a catch-up comes often, and a run's events pile up.
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId && (e.Step == null || e.Step >= lastStep)).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        foreach (var runEvent in events)
            engine.Observe(new RunEvent(runEvent.Kind, runEvent.Step, runEvent.UnixMs, runEvent.Message));
        var status = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken);
        engine.ObserveStalled(status == RunStatus.Stalled);
        resolved.AddRange(Resolved(engine, historyFrom));
        return resolved;
    }

    /// <summary>Where a metric's stored points are read from: the step after the last one the engine saw.</summary>
    private static long From(RunRules engine, string key) => engine.LastStepOf(key) is { } seen ? seen + 1 : long.MinValue;

    /// <summary>
    /// The metrics side by side in step order, a chunk of each at a time (memory must not grow with the run): each round
    /// hands over every point up to the lowest last step among the metrics' current chunks, so at least one chunk is used
    /// up per round and no metric gets ahead of another. Two-metric rules need that; and so does a copy of the state taken
    /// between rounds, which a resume to a later step goes on from (read metric after metric, a replay left no copy a
    /// resume could use, and the next resume replayed it all again).
    /// </summary>
    private async Task ObserveInStepOrderAsync(RunRules engine, IReadOnlyList<(long Id, string Key)> metrics, List<TrackedAlert> resolved, long? historyFrom,
        RuleSnapshots? copies, CancellationToken cancellationToken)
    {
        var readers = metrics.Select(m => points.ReadChunksAsync(m.Id, From(engine, m.Key), cancellationToken).GetAsyncEnumerator(cancellationToken)).ToList();
        try
        {
            var chunks = new StoredPoint[]?[readers.Count];
            var used = new int[readers.Count];
            var batch = metrics.ToDictionary(m => m.Key, _ => new List<StoredPoint>(), StringComparer.Ordinal);
            while (true)
            {
                for (var i = 0; i < readers.Count; i++)
                {
                    if (chunks[i] is { } chunk && used[i] < chunk.Length)
                        continue;
                    chunks[i] = await readers[i].MoveNextAsync() ? readers[i].Current : null;
                    used[i] = 0;
                }
                if (chunks.All(c => c is null))
                    return;
                var bound = chunks.Where(c => c is not null).Min(c => c![^1].Step);
                for (var i = 0; i < readers.Count; i++)
                {
                    var list = batch[metrics[i].Key];
                    list.Clear();
                    for (var chunk = chunks[i]; chunk is not null && used[i] < chunk.Length && chunk[used[i]].Step <= bound; used[i]++)
                        list.Add(chunk[used[i]]);
                }
                engine.Observe(batch);
                // Taken per round: a run that went bad raises and clears alerts all the time, and holding them all grew with the run.
                resolved.AddRange(Resolved(engine, historyFrom));
                copies?.Offer(engine);
            }
        }
        finally
        {
            foreach (var reader in readers)
                await reader.DisposeAsync();
        }
    }

    private static IEnumerable<TrackedAlert> Resolved(RunRules engine, long? historyFrom) =>
        engine.TakeChanges().Where(c => c.Kind == AlertChangeKind.Resolved && AlertStore.HeldFrom(c.Alert.LastStep, historyFrom)).Select(c => c.Alert);
}
