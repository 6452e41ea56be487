using Dashboard.Core.Records;
using Dashboard.Storage.Entities;
using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

public sealed class RunReader(IDbContextFactory<DashboardDbContext> contexts, IPointStore points) : IRunReader
{
    public async Task<RunPage> QueryRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = Filtered(db, query);
        var total = await runs.CountAsync(cancellationToken);
        var page = await Ordered(db, runs, query).Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        var ids = page.Select(r => r.Id).ToList();
        // Only the page's runs: a list of thousands of runs must not read every metric row.
        var metrics = (await db.Metrics.AsNoTracking().Where(m => ids.Contains(m.RunId)).ToListAsync(cancellationToken)).ToLookup(m => m.RunId);
        var tags = (await db.Set<RunTagEntity>().AsNoTracking().Where(t => ids.Contains(t.RunId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.RunId, t => t.Tag);
        return new RunPage([.. page.Select(r => r.ToSummary(metrics[r.Id]) with { Tags = [.. tags[r.Id].Order(StringComparer.Ordinal)] })], total);
    }

    public async Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByProjectAsync(RunQuery query, IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Filtered(db, query).Where(r => projects.Contains(r.Project)).GroupBy(r => r.Project)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
    }

    private static IQueryable<RunEntity> Filtered(DashboardDbContext db, RunQuery query)
    {
        var runs = db.Runs.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Text))
        {
            // lower() and a plain substring test (instr / strpos), the same on SQLite and PostgreSQL,
            // where LIKE differs in case and would take % and _ as patterns.
            var text = query.Text.ToLowerInvariant();
            runs = runs.Where(r => r.Name.ToLower().Contains(text) || r.Project.ToLower().Contains(text) || r.Source.ToLower().Contains(text));
        }
        if (query.Project is { } project)
            runs = runs.Where(r => r.Project == project);
        if (query.Status is { } status)
            runs = runs.Where(r => r.Status == status);
        if (query.Tag is { } tag)
            runs = runs.Where(r => db.Set<RunTagEntity>().Any(t => t.RunId == r.Id && t.Tag == tag));
        if (query.HasActiveAlerts is { } alerted)
            runs = runs.Where(r => db.Set<AlertEntity>().Any(a => a.RunId == r.Id && a.ResolvedAtMs == null) == alerted);
        if (query.StartedFrom is { } from)
        {
            var fromMs = from.ToUnixTimeMilliseconds();
            runs = runs.Where(r => r.StartedAtMs >= fromMs);
        }
        if (query.StartedBefore is { } before)
        {
            var beforeMs = before.ToUnixTimeMilliseconds();
            runs = runs.Where(r => r.StartedAtMs < beforeMs);
        }
        return runs;
    }

    private static IQueryable<RunEntity> Ordered(DashboardDbContext db, IQueryable<RunEntity> runs, RunQuery query)
    {
        IOrderedQueryable<RunEntity> ordered = query.SortKey is { } key ? ByLastValue(db, runs, key, query.Descending) : (query.Sort, query.Descending) switch
        {
            (RunSort.Started, false) => runs.OrderBy(r => r.StartedAtMs),
            (RunSort.Started, true) => runs.OrderByDescending(r => r.StartedAtMs),
            (RunSort.Name, false) => runs.OrderBy(r => r.Name),
            (RunSort.Name, true) => runs.OrderByDescending(r => r.Name),
            (RunSort.Project, false) => runs.OrderBy(r => r.Project),
            (RunSort.Project, true) => runs.OrderByDescending(r => r.Project),
            (RunSort.Status, false) => runs.OrderBy(r => r.Status),
            (RunSort.Status, true) => runs.OrderByDescending(r => r.Status),
            (RunSort.Step, false) => runs.OrderBy(r => r.Step),
            (RunSort.Step, true) => runs.OrderByDescending(r => r.Step),
            (_, false) => runs.OrderBy(r => r.UpdatedAtMs),
            _ => runs.OrderByDescending(r => r.UpdatedAtMs),
        };
        // The id breaks ties, so that paging through equal keys neither repeats nor skips a run.
        return query.Descending ? ordered.ThenByDescending(r => r.Id) : ordered.ThenBy(r => r.Id);
    }

    // A metric's last value, one index lookup per run ((run, key) is unique); a run without one goes last.
    private static IOrderedQueryable<RunEntity> ByLastValue(DashboardDbContext db, IQueryable<RunEntity> runs, string key, bool descending)
    {
        var valued = runs.OrderBy(r => !db.Metrics.Any(m => m.RunId == r.Id && m.Key == key && m.LastValue != null));
        return descending
            ? valued.ThenByDescending(r => db.Metrics.Where(m => m.RunId == r.Id && m.Key == key).Select(m => m.LastValue).FirstOrDefault())
            : valued.ThenBy(r => db.Metrics.Where(m => m.RunId == r.Id && m.Key == key).Select(m => m.LastValue).FirstOrDefault());
    }

    public async Task<RunDetail?> GetRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
            return null;
        var metrics = await db.Metrics.AsNoTracking().Where(m => m.RunId == runId).ToListAsync(cancellationToken);
        var setAside = await db.Quarantine.AsNoTracking().Where(q => q.RunId == runId).OrderBy(q => q.Id)
            .Select(q => new { q.Id, q.Reason, q.Points, q.Events, q.CreatedAtMs }).Take(100).ToListAsync(cancellationToken);
        var tags = await db.Set<RunTagEntity>().AsNoTracking().Where(t => t.RunId == runId).Select(t => t.Tag).ToListAsync(cancellationToken);
        var note = await db.Set<RunNoteEntity>().AsNoTracking().Where(n => n.RunId == runId).Select(n => n.Text).SingleOrDefaultAsync(cancellationToken);
        return new RunDetail(
            run.ToSummary(metrics) with { Tags = [.. tags.Order(StringComparer.Ordinal)] },
            RunMapping.ParseConfig(run.ConfigJson),
            [.. metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.ToSummary())],
            run.SkippedBytes,
            [.. setAside.Select(q => new SetAside(q.Id, q.Reason, q.Points, q.Events, Core.Records.UnixTime.ToDate(q.CreatedAtMs)))])
        {
            Note = note,
            Summary = RunMapping.ParseConfig(run.SummaryJson),
        };
    }

    public async Task<IReadOnlyList<RelatedRun>> GetRelatedAsync(RunSummary run, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var separator = Path.DirectorySeparatorChar.ToString();
        var folder = RelatedRuns.Folder(run.Source);
        // Found by their sources' prefixes in the store, not by reading every run: runs in folders below this
        // run's, then the runs right in each folder above it.
        var below = folder + separator;
        var found = await db.Runs.AsNoTracking()
            .Where(r => r.Id != run.Id && r.Source.StartsWith(below) && r.Source.Substring(below.Length).Contains(separator))
            .OrderBy(r => r.Id).Take(RelatedRuns.MaxListed).Select(r => new RelatedRun(r.Id, r.Name, r.Source)).ToListAsync(cancellationToken);
        foreach (var ancestor in RelatedRuns.Ancestors(folder))
        {
            if (found.Count >= RelatedRuns.MaxListed)
                break;
            var prefix = ancestor.EndsWith(separator, StringComparison.Ordinal) ? ancestor : ancestor + separator;
            found.AddRange(await db.Runs.AsNoTracking()
                .Where(r => r.Source.StartsWith(prefix) && !r.Source.Substring(prefix.Length).Contains(separator))
                .OrderBy(r => r.Id).Take(RelatedRuns.MaxListed - found.Count).Select(r => new RelatedRun(r.Id, r.Name, r.Source)).ToListAsync(cancellationToken));
        }
        // The same rule as the pages' links (a run in the same folder is not related).
        return [.. found.Where(r => RelatedRuns.AreRelated(run.Source, r.Source)).OrderBy(r => r.Id)];
    }

    public async Task<MetricSeries?> GetSeriesAsync(long runId, string key, StepRange steps, int? maxPoints, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metric = await db.Metrics.AsNoTracking()
            .Where(m => m.RunId == runId && m.Key == key)
            .Select(m => new { m.Id, m.Key })
            .SingleOrDefaultAsync(cancellationToken);
        if (metric is null)
            return null;
        // The store reduces as Downsampler.Reduce does, from its per-chunk summaries where it can.
        return new MetricSeries(metric.Key, await points.ReadAsync(metric.Id, steps, maxPoints, cancellationToken));
    }
}
