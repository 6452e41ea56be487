using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

public sealed class LinkedLogTests
{
    [Fact]
    public async Task A_log_that_links_out_of_the_watch_roots_is_not_read()
    {
        await using var host = await TestHost.StartAsync();
        var outside = Directory.CreateDirectory(Path.Combine(host.Root, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.log"), LogLines.Iter(100, 4) + "Traceback (most recent call last):\nRuntimeError: SECRET\n");
        File.CreateSymbolicLink(host.LogPath("p", "stolen.log"), Path.Combine(outside, "secret.log"));
        Directory.CreateSymbolicLink(Path.Combine(host.WatchFolder, "linked"), outside);
        var real = host.LogPath("p", "real.log");
        await TestHost.AppendAsync(real, LogLines.Iter(100, 4));
        // A link inside the roots to a log inside them is still a log.
        File.CreateSymbolicLink(host.LogPath("q", "alias.log"), real);

        await Ingested.SentinelAsync(host);

        var runs = await host.GetJsonAsync<List<RunSummary>>("/api/runs");
        Assert.Equal(["alias.log", "real.log"], runs.Where(r => r.Project != "zz-sentinel").Select(r => Path.GetFileName(r.Source)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(runs, r => r.Source.Contains("stolen", StringComparison.Ordinal) || r.Source.Contains("linked", StringComparison.Ordinal));
    }
}
