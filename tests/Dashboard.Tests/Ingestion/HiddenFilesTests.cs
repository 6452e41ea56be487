using Dashboard.Configuration;
using Dashboard.Ingestion;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Ingestion;

/// <summary>One rule on every path: a file or folder under a watch root whose name starts with a dot is never a log.</summary>
public sealed class HiddenFilesTests
{
    [Fact]
    public async Task Dot_files_and_dot_folders_never_become_runs_whether_seen_by_events_or_scans()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.AppendAsync(host.LogPath("hidden", ".swap.log"), LogLines.Iter(100, 1.5));
        await TestHost.AppendAsync(host.LogPath(Path.Combine("hidden", ".ipynb_checkpoints"), "train.log"), LogLines.Iter(100, 1.5));
        // Written after them in the same folder: once it is a run, events and the scan have both seen the hidden ones.
        await host.WriteRunAsync("hidden", "visible.log", LogLines.Iter(100, 1.5), 100);
        // A second one after the scan interval: a periodic scan has walked past the hidden ones by then too.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        await host.WriteRunAsync("hidden", "later.log", LogLines.Iter(100, 1.5), 100);

        var runs = await host.GetJsonAsync<List<RunSummary>>("/api/runs");
        Assert.Equal(["later", "visible"], runs.Select(r => r.Name).Order());
    }

    [Theory]
    [InlineData("a/.b.log", true)]
    [InlineData(".git/x.log", true)]
    [InlineData("a/b/.cache/x.log", true)]
    [InlineData("a/b.log", false)]
    [InlineData("a.b/c..log", false)]
    public void Hidden_is_any_dot_name_below_the_root_not_above_it(string relative, bool hidden)
    {
        // The root itself may sit under a dot folder (~/.runs): only names below it count.
        var root = Path.Combine(Path.GetTempPath(), ".dashboard-hidden-root-" + Guid.NewGuid().ToString("N"));
        try
        {
            var roots = new WatchRoots(Options.Create(new DashboardOptions { Watch = new WatchOptions { Roots = [root] }, Data = Path.Combine(root, "..", "data-" + Guid.NewGuid().ToString("N")) }));
            Assert.Equal(hidden, roots.IsHidden(Path.Combine(root, relative)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
