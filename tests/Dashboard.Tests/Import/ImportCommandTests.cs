using Dashboard.Import;
using Dashboard.Storage;
using Dashboard.Tests.Ingestion;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Import;

public sealed class ImportCommandTests
{
    [Fact]
    public async Task Import_loads_historical_logs_and_a_later_watch_continues_without_duplicates()
    {
        await using var host = await TestHost.StartAsync();
        await host.StopAsync();
        var a = host.LogPath("exp", "a.log");
        var b = host.LogPath(Path.Combine("deep", "exp2"), "b.txt");
        await TestHost.AppendAsync(a, LogLines.IterRange(100, 1000));
        await TestHost.AppendAsync(b, LogLines.IterRange(100, 300) + "\0\0\0\0");
        await TestHost.AppendAsync(b + ".1", LogLines.IterRange(100, 300));
        await File.WriteAllTextAsync(host.LogPath("exp", "notes.md"), LogLines.Iter(100, 1));

        var output = new StringWriter();
        var exit = await ImportCommand.RunAsync([host.WatchFolder, "--data", host.DataFolder], output, interactive: false);
        Assert.True(exit == 0, output.ToString());
        var text = output.ToString();
        Assert.Contains("import: 100%", text);
        Assert.Contains("Imported 2 files", text);
        Assert.Contains("2 runs, 65 points, 4 bytes skipped", text);

        // Importing again reads nothing new.
        output = new StringWriter();
        Assert.Equal(0, await ImportCommand.RunAsync([a, "--data", host.DataFolder], output, interactive: false));
        Assert.Contains("1 runs, 0 points", output.ToString());

        await host.RestartAsync();
        var runs = await host.GetJsonAsync<List<RunSummary>>("/api/runs");
        Assert.Equal(2, runs.Count);
        var runA = runs.Single(r => r.Source == a);
        await TestHost.AppendAsync(a, LogLines.Iter(1100, 2));
        await FileMishapsTests.WaitForStepsAsync(host, runA.Id, FileMishapsTests.Steps(100, 1100));
        Assert.Equal(2, (await host.GetJsonAsync<List<RunSummary>>("/api/runs")).Count);
    }

    [Fact]
    public async Task Missing_paths_are_named_and_exit_with_1()
    {
        var output = new StringWriter();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(1, await ImportCommand.RunAsync([missing], output, interactive: false));
        Assert.Contains($"no such file or folder: {missing}", output.ToString());

        output = new StringWriter();
        Assert.Equal(1, await ImportCommand.RunAsync([], output, interactive: false));
        Assert.Contains("usage: Dashboard import PATH", output.ToString());
    }

    [Fact]
    public async Task Progress_bar_is_redrawn_on_a_terminal()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-import-").FullName;
        try
        {
            var log = Path.Combine(root, "runs", "p", "x.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            await File.WriteAllTextAsync(log, LogLines.IterRange(100, 500));
            var output = new StringWriter();
            Assert.Equal(0, await ImportCommand.RunAsync([log, "--data", Path.Combine(root, "data")], output, interactive: true));
            Assert.Matches(@"\r\[#+\] 100%", output.ToString());
            Assert.Contains("1 runs, 25 points, 0 bytes skipped", output.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
