using Dashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Tests.Support;

/// <summary>
/// Positive signals that the service has looked at something, for tests that check what it did not do:
/// waiting a while and seeing nothing passes as well when the watcher has simply not looked yet.
/// </summary>
public static class Ingested
{
    /// <summary>The byte offset the service stored for a file (committed with its points), or null before its first commit.</summary>
    public static async Task<long?> StoredOffsetAsync(TestHost host, string path)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        return await db.SourceFiles.AsNoTracking().Where(f => f.Path == path).Select(f => (long?)f.Offset).SingleOrDefaultAsync();
    }

    /// <summary>Waits until the service has consumed the file up to its current length (read, parsed or skipped, and committed).</summary>
    public static async Task ReadToEndAsync(TestHost host, string path, int timeoutMs = 15_000)
    {
        var length = new FileInfo(path).Length;
        await TestHost.EventuallyAsync(() => StoredOffsetAsync(host, path), offset => offset == length, $"{path} read to byte {length}", timeoutMs);
    }

    /// <summary>
    /// Writes a new log into its own folder under the watch folder and waits for its run. The watcher
    /// handles file events in order, and the single writer commits in order, so whatever the files
    /// did before this one is handled once its run exists.
    /// </summary>
    public static async Task<RunSummary> SentinelAsync(TestHost host, string project = "zz-sentinel")
    {
        var log = host.LogPath(project, $"sentinel-{Guid.NewGuid():N}.log");
        await TestHost.AppendAsync(log, LogLines.Iter(100, 1));
        return await host.WaitForRunAsync(r => r.Source == log);
    }
}
