using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

public sealed class RunReader(IDbContextFactory<DashboardDbContext> contexts, IPointStore points) : IRunReader
{
    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().OrderByDescending(r => r.UpdatedAtMs).ToListAsync(cancellationToken);
        var metrics = (await db.Metrics.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(m => m.RunId);
        return [.. runs.Select(r => r.ToSummary(metrics[r.Id]))];
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
        var others = await db.Runs.AsNoTracking().Where(r => r.Id != runId).Select(r => new { r.Id, r.Name, r.Source }).ToListAsync(cancellationToken);
        return new RunDetail(
            run.ToSummary(metrics),
            RunMapping.ParseConfig(run.ConfigJson),
            [.. metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.ToSummary())],
            run.SkippedBytes,
            [.. setAside.Select(q => new SetAside(q.Id, q.Reason, q.Points, q.Events, Core.Records.UnixTime.ToDate(q.CreatedAtMs)))])
        {
            Summary = RunMapping.ParseConfig(run.SummaryJson),
            Related = [.. others.Where(o => RelatedRuns.AreRelated(run.Source, o.Source)).Take(RelatedRuns.MaxListed).Select(o => new RelatedRun(o.Id, o.Name, o.Source))],
        };
    }

    public async Task<MetricSeries?> GetSeriesAsync(long runId, string key, long fromStep, int? maxPoints, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var metric = await db.Metrics.AsNoTracking()
            .Where(m => m.RunId == runId && m.Key == key)
            .Select(m => new { m.Id, m.Key })
            .SingleOrDefaultAsync(cancellationToken);
        if (metric is null)
            return null;
        // The store reduces as Downsampler.Reduce does, from its per-chunk summaries where it can.
        return new MetricSeries(metric.Key, await points.ReadAsync(metric.Id, fromStep, maxPoints, cancellationToken));
    }
}
