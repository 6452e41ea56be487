using System.Text;
using Dashboard.Configuration;
using Dashboard.Core.Simulation;
using Dashboard.Ingestion;
using Microsoft.Extensions.Options;

namespace Dashboard.Demo;

/// <summary>
/// With --demo (Demo:Enabled), plays a simulated S4GAN training into the first watch root at a steady pace, through
/// the same watcher, parser and store as a real log, so a newcomer sees live charts at once.
/// </summary>
public sealed class DemoWriter(WatchRoots roots, IOptions<DashboardOptions> options, TimeProvider clock, ILogger<DemoWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value.Demo;
        if (!demo.Enabled)
            return;
        var folder = Directory.CreateDirectory(Path.Combine(roots.Paths[0], "demo")).FullName;
        var path = Path.Combine(folder, $"s4gan-{clock.GetUtcNow():yyyyMMdd-HHmmss}.log");
        var simulator = new S4GanLogSimulator(demo.TotalSteps);
        logger.LogInformation("Demo: writing a simulated S4GAN training to {Path} at {Rate} lines/s", path, demo.LinesPerSecond);

        await using var log = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false));
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / demo.LinesPerSecond), clock);
        try
        {
            foreach (var chunk in simulator.Chunks())
            {
                foreach (var line in chunk)
                    await log.WriteAsync(line + "\n");
                await log.FlushAsync(stoppingToken);
                await pace.WaitForNextTickAsync(stoppingToken);
            }
            logger.LogInformation("Demo: the simulated training finished");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
