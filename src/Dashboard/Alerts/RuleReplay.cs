using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Storage.Points;
using Dashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Alerts;

/// <summary>
/// Rebuilds a run's rule state from what the store holds (after a restart, or after a resume
/// rewrote points): every stored point in step order, one metric at a time unless a two-metric
/// rule reads it with another, then the events at or after the last step (earlier ones are
/// history the run went on past), then its stalled flag.
/// </summary>
public sealed class RuleReplay(IDbContextFactory<DashboardDbContext> contexts, IPointStore points, RuleSet rules)
{
    /// <summary>The run's rebuilt rule state, and the alerts that rose and cleared during the replay (history the store may lack).</summary>
    public async Task<(RunRules Engine, IReadOnlyList<TrackedAlert> Resolved)> RebuildAsync(long runId, CancellationToken cancellationToken)
    {
        var engine = new RunRules(rules);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metrics = await db.Metrics.AsNoTracking().Where(m => m.RunId == runId).Select(m => new { m.Id, m.Key }).ToListAsync(cancellationToken);
        // Metric by metric into one buffer: a long run's points all at once would be hundreds of MB.
        var paired = engine.Bind(metrics.Select(m => m.Key));
        var buffer = new List<StoredPoint>();
        var resolved = new List<TrackedAlert>();
        foreach (var metric in metrics.Where(m => !paired.Contains(m.Key)))
        {
            await points.ReadAllAsync(metric.Id, buffer, cancellationToken);
            engine.Observe(new Dictionary<string, List<StoredPoint>>(StringComparer.Ordinal) { [metric.Key] = buffer });
            resolved.AddRange(Resolved(engine));
        }
        var together = new Dictionary<string, List<StoredPoint>>(StringComparer.Ordinal);
        foreach (var metric in metrics.Where(m => paired.Contains(m.Key)))
        {
            together[metric.Key] = [];
            await points.ReadAllAsync(metric.Id, together[metric.Key], cancellationToken);
        }
        engine.Observe(together);
        resolved.AddRange(Resolved(engine));
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        foreach (var runEvent in events)
        {
            if ((runEvent.Step ?? long.MaxValue) >= (engine.LastStep ?? long.MinValue))
                engine.Observe(new RunEvent(runEvent.Kind, runEvent.Step, runEvent.UnixMs, runEvent.Message));
        }
        var status = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken);
        engine.ObserveStalled(status == RunStatus.Stalled);
        resolved.AddRange(Resolved(engine));
        return (engine, resolved);
    }

    private static IEnumerable<TrackedAlert> Resolved(RunRules engine) =>
        engine.TakeChanges().Where(c => c.Kind == AlertChangeKind.Resolved).Select(c => c.Alert);
}
