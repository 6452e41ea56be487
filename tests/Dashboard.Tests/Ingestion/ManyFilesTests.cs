using System.Diagnostics;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

[CollectionDefinition(nameof(ManyFilesTests), DisableParallelization = true)]
public sealed class ManyFilesCollection;

/// <summary>Runs alone (not beside other test classes): it measures how long 500 new logs take.</summary>
[Collection(nameof(ManyFilesTests))]
public sealed class ManyFilesTests
{
    [Fact]
    public async Task Five_hundred_files_appearing_at_once_all_become_runs_promptly_without_leaking_files()
    {
        await using var host = await TestHost.StartAsync();
        var descriptorsBefore = OpenDescriptors();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 500; i++)
            await File.WriteAllTextAsync(host.LogPath($"proj{i % 25}", $"run{i}.log"), LogLines.IterRange(100, 200));
        // The watcher follows all 500 within seconds; the single writer's commits (a transaction that
        // creates 500 runs and 2,500 metrics) take longer. Listing 500 runs is work for the 2-core
        // machine too: look once a second, not every 50 ms. The bound is loose because other builds
        // share the machine; alone, on an idle machine, it takes well under 30 s.
        List<RunSummary> runs;
        while (true)
        {
            runs = await host.GetJsonAsync<List<RunSummary>>("/api/runs?limit=1000");
            if ((runs.Count == 500 && runs.All(r => r.Step == 200)) || clock.Elapsed > TimeSpan.FromSeconds(120))
                break;
            await Task.Delay(1000);
        }
        Assert.Equal(500, runs.Count(r => r.Step == 200));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"500 files took {clock.Elapsed}");
        Assert.Equal(500, runs.Select(r => r.Source).Distinct().Count());
        Assert.InRange(OpenDescriptors(), 0, descriptorsBefore + 50);
    }


    private static int OpenDescriptors() =>
        Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0;
}
