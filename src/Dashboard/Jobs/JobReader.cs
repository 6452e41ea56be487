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
        return [.. (await query.OrderByDescending(j => j.Id).Take(ListLimit).ToListAsync(cancellationToken)).Select(JobView.From)];
    }

    public async Task<JobView?> GetAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobEntity>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) is { } job ? JobView.From(job) : null;
    }
}
