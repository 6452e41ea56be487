using Dashboard.Core.Jobs;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Jobs;

/// <summary>
/// The PNGs jobs wrote, read from the store by job and plain file name (never a path): the worker that ran
/// the job may be on another machine, and the web instance serving it never opens a file for it.
/// </summary>
public sealed class JobImages(IDbContextFactory<DashboardDbContext> contexts)
{
    public async Task<byte[]?> ReadAsync(long jobId, string name, CancellationToken cancellationToken)
    {
        if (!SampleManifest.IsSafeImageName(name))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Bytes(db, jobId, name).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>For the report's freeze, whose image reader is synchronous (a pure function of the report model calls it).</summary>
    public byte[]? Read(long jobId, string name)
    {
        if (!SampleManifest.IsSafeImageName(name))
            return null;
        using var db = contexts.CreateDbContext();
        return Bytes(db, jobId, name).SingleOrDefault();
    }

    private static IQueryable<byte[]> Bytes(DashboardDbContext db, long jobId, string name) =>
        db.Set<JobImageEntity>().AsNoTracking().Where(i => i.JobId == jobId && i.Name == name).Select(i => i.Bytes);
}
