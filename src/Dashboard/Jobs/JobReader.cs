using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>The read side of jobs, for the API and the pages.</summary>
public sealed class JobReader(IDbContextFactory<DashboardDbContext> contexts)
{
    public const int ListLimit = 500;

    /// <summary>The latest jobs, newest first; of one run when runId is given.</summary>
    public async Task<IReadOnlyList<JobView>> ListAsync(long? runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<JobEntity>().AsNoTracking();
        if (runId is { } id)
            query = query.Where(j => j.RunId == id);
        var rows = await query.Join(db.Runs, j => j.RunId, r => r.Id, (j, r) => new { Job = j, r.Source })
            .OrderByDescending(row => row.Job.Id).Take(ListLimit).ToListAsync(cancellationToken);
        return [.. rows.Select(row => JobView.From(row.Job, row.Source))];
    }

    public async Task<JobView?> GetAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<JobEntity>().AsNoTracking().Where(j => j.Id == jobId)
            .Join(db.Runs, j => j.RunId, r => r.Id, (j, r) => new { Job = j, r.Source }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : JobView.From(row.Job, row.Source);
    }
}
