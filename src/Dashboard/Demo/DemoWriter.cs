using System.Text;
using Dashboard.Configuration;
using Dashboard.Core.Simulation;
using Dashboard.Ingestion;
using Microsoft.Extensions.Options;

namespace Dashboard.Demo;

/// <summary>
/// With --demo (Demo:Enabled), plays a simulated S4GAN training into the first watch root at a steady pace, through
/// the same watcher, parser and store as a real log, so a newcomer sees live charts at once. A second
/// training beside it goes unstable after a minute or so, so the alert banners have something to show.
/// </summary>
public sealed class DemoWriter(WatchRoots roots, IOptions<DashboardOptions> options, TimeProvider clock, ILogger<DemoWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value.Demo;
        if (!demo.Enabled)
            return;
        var folder = Directory.CreateDirectory(Path.Combine(roots.Paths[0], "demo")).FullName;
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        logger.LogInformation("Demo: writing simulated S4GAN trainings to {Folder} at {Rate} lines/s", folder, demo.LinesPerSecond);
        await Task.WhenAll(
            PlayAsync(Path.Combine(folder, $"s4gan-{stamp}.log"), new S4GanLogSimulator(demo.TotalSteps), demo.LinesPerSecond, stoppingToken),
            PlayAsync(Path.Combine(folder, $"s4gan-unstable-{stamp}.log"), new S4GanLogSimulator(demo.TotalSteps, seed: 8, unstableFrom: Math.Min(demo.TotalSteps / 2, 6000)), demo.LinesPerSecond, stoppingToken));
    }

    private async Task PlayAsync(string path, S4GanLogSimulator simulator, double linesPerSecond, CancellationToken stoppingToken)
    {
        await using var log = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false));
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / linesPerSecond), clock);
        try
        {
            foreach (var chunk in simulator.Chunks())
            {
                foreach (var line in chunk)
                    await log.WriteAsync(line + "\n");
                await log.FlushAsync(stoppingToken);
                await pace.WaitForNextTickAsync(stoppingToken);
            }
            logger.LogInformation("Demo: the simulated training {Path} ended", path);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
