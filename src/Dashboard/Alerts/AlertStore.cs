using Dashboard.Core.Rules;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Alerts;

/// <summary>The <c>alerts</c> table: what the engine raised, updated and resolved, and what people acknowledged.</summary>
public sealed class AlertStore(IDbContextFactory<DashboardDbContext> contexts, TimeProvider clock)
{
    /// <summary>With a text to match, alerts read per alert answered: the text is matched after the store's filters.</summary>
    private const int TextScanFactor = 20;

    /// <summary>
    /// After the engine's state of a run was rebuilt from the stored points: alerts the replay raised
    /// and resolved that no row holds yet (points stored while the service was down, or before the
    /// engine first saw a new run) are stored with both changes; rows still open whose alert the
    /// replay saw resolve are resolved as it did; the alerts that hold take over their open rows or
    /// are raised; stored open alerts that no longer hold are resolved.
    /// With <paramref name="historyFrom"/> (after a resume or a catch-up) only the history at or after that step is compared.
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ReconcileAsync(long runId, IEnumerable<TrackedAlert> open, IEnumerable<TrackedAlert> resolved, long? historyFrom, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The open rows, and the history the replay may disagree with: HeldFrom, as SQL.
        var stored = await db.Set<AlertEntity>().AsNoTracking()
            .Where(a => a.RunId == runId && (a.ResolvedAtMs == null || historyFrom == null || a.LastStep == null || a.LastStep >= historyFrom))
            .ToListAsync(cancellationToken);
        var openRows = stored.Where(s => s.ResolvedAtMs == null).ToList();
        // Looked up by key: a run that went bad has thousands of alerts, and a scan per alert was quadratic.
        var byStart = stored.GroupBy(s => (s.RuleId, s.Metric, s.FirstStep)).ToDictionary(g => g.Key, g => g.First());
        var changes = new List<AlertChange>();
        foreach (var alert in resolved)
        {
            if (!byStart.TryGetValue((alert.RuleId, alert.Metric, alert.FirstStep), out var row))
            {
                changes.Add(new(AlertChangeKind.Raised, alert));
                changes.Add(new(AlertChangeKind.Resolved, alert));
            }
            else if (openRows.Remove(row))
            {
                alert.StoreId = row.Id;
                changes.Add(new(AlertChangeKind.Resolved, alert));
            }
        }
        foreach (var alert in open)
        {
            var row = openRows.FirstOrDefault(s => s.RuleId == alert.RuleId && s.Metric == alert.Metric);
            if (row is null)
            {
                changes.Add(new(AlertChangeKind.Raised, alert));
                continue;
            }
            openRows.Remove(row);
            alert.StoreId = row.Id;
            changes.Add(new(AlertChangeKind.Updated, alert));
        }
        foreach (var row in openRows)
        {
            var gone = new TrackedAlert
            {
                RuleId = row.RuleId, Metric = row.Metric, Message = row.Message, Advice = row.Advice, FirstStep = row.FirstStep,
                LastStep = row.LastStep, Value = row.Value, Severity = row.Severity, Resolved = true, StoreId = row.Id,
            };
            changes.Add(new(AlertChangeKind.Resolved, gone));
        }
        return changes;
    }

    /// <summary>Whether an alert that held until <paramref name="lastStep"/> is part of the history from <paramref name="historyFrom"/> on (all of it when null).</summary>
    public static bool HeldFrom(long? lastStep, long? historyFrom) => historyFrom is null || lastStep is null || lastStep >= historyFrom;

    public async Task<IReadOnlyList<AlertView>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var alerts = db.Set<AlertEntity>().AsNoTracking();
        if (query.RunId is { } runId)
            alerts = alerts.Where(a => a.RunId == runId);
        if (query.Active is { } active)
            alerts = active ? alerts.Where(a => a.ResolvedAtMs == null) : alerts.Where(a => a.ResolvedAtMs != null);
        if (query.Severity is { } severity)
            alerts = alerts.Where(a => a.Severity == severity);
        if (!string.IsNullOrEmpty(query.Rule))
            alerts = alerts.Where(a => a.RuleId == query.Rule);
        var text = query.Text?.Trim() ?? "";
        var rows = await alerts
            .Join(db.Runs, a => a.RunId, r => r.Id, (a, r) => new { Alert = a, r.Project, r.Name })
            .OrderByDescending(x => x.Alert.ResolvedAtMs == null).ThenByDescending(x => x.Alert.Id)
            .Take(text.Length == 0 ? query.Limit : query.Limit * TextScanFactor)
            .ToListAsync(cancellationToken);
        // Severity is stored as text, so it is ordered here: active first, the loudest first, newest first.
        // The text is matched here too (case-insensitively, as SQLite's LIKE does not for non-ASCII names).
        return [.. rows.Select(x => AlertView.From(x.Alert, x.Project, x.Name))
            .Where(a => text.Length == 0 || a.Mentions(text))
            .OrderByDescending(a => a.Active).ThenByDescending(a => a.Severity).ThenByDescending(a => a.Id)
            .Take(query.Limit)];
    }

    public async Task<AlertView?> AcknowledgeAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<AlertEntity>().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (row is null)
            return null;
        row.AcknowledgedAtMs ??= clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == row.RunId, cancellationToken);
        return AlertView.From(row, run.Project, run.Name);
    }

    /// <summary>Active warning and critical alerts per run (the run list's counts).</summary>
    public async Task<IReadOnlyDictionary<long, AlertCounts>> ActiveCountsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<AlertEntity>().AsNoTracking()
            .Where(a => a.ResolvedAtMs == null && a.Severity != AlertSeverity.Info)
            .Select(a => new { a.RunId, a.Severity })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.RunId).ToDictionary(
            g => g.Key,
            g => new AlertCounts(g.Count(r => r.Severity == AlertSeverity.Warning), g.Count(r => r.Severity == AlertSeverity.Critical)));
    }
}

/// <summary>An alert as stored after a batch; <see cref="Escalated"/> when an update made it louder.</summary>
public sealed record StoredChange(AlertChangeKind Kind, AlertView Alert, bool Escalated);

/// <summary>How many warnings and critical alerts a run has open.</summary>
public sealed record AlertCounts(int Warning, int Critical);
