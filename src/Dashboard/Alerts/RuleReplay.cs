using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Storage;
using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Alerts;

/// <summary>
/// Rebuilds a run's rule state from what the store holds (after a restart, or after a resume
/// rewrote points): every stored point in step order, then the events at or after the last step
/// (earlier ones are history the run went on past), then its stalled flag.
/// </summary>
public sealed class RuleReplay(IDbContextFactory<DashboardDbContext> contexts, IPointStore points, RuleSet rules)
{
    public async Task<RunRules> RebuildAsync(long runId, CancellationToken cancellationToken)
    {
        var engine = new RunRules(rules);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metrics = await db.Metrics.AsNoTracking().Where(m => m.RunId == runId).Select(m => new { m.Id, m.Key }).ToListAsync(cancellationToken);
        var series = new Dictionary<string, List<StoredPoint>>(StringComparer.Ordinal);
        foreach (var metric in metrics)
            series[metric.Key] = [.. await points.ReadAsync(metric.Id, long.MinValue, null, cancellationToken)];
        engine.Observe(series);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        foreach (var runEvent in events)
        {
            if ((runEvent.Step ?? long.MaxValue) >= (engine.LastStep ?? long.MinValue))
                engine.Observe(new RunEvent(runEvent.Kind, runEvent.Step, runEvent.UnixMs, runEvent.Message));
        }
        var status = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken);
        engine.ObserveStalled(status == RunStatus.Stalled);
        engine.TakeChanges();
        return engine;
    }
}
