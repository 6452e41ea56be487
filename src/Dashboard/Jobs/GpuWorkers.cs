using Hangfire;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// One Hangfire server per GPU slot, listening to that slot's queue with a single worker, so a slot
/// runs one job at a time. Started after <see cref="JobStartup"/> has put back the queued jobs. Its
/// shutdown timeout stays under the host's, so a running job's token fires and its process is killed
/// before the host gives up (the next start finds the job interrupted).
/// </summary>
public sealed class GpuWorkers(GpuSlots slots, ServedQueues served, JobStorage storage, IOptions<Configuration.DashboardOptions> dashboard, IServiceProvider services, ILogger<GpuWorkers> logger) : IHostedService
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly List<BackgroundJobServer> _servers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < slots.All.Count; i++)
        {
            var options = new BackgroundJobServerOptions
            {
                ServerName = $"{Environment.MachineName}:{served.Queue(i)}",
                Queues = [served.Queue(i)],
                WorkerCount = 1,
                ShutdownTimeout = ShutdownTimeout,
                Activator = services.GetRequiredService<JobActivator>(),
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                // How soon a cancel (the Hangfire job deleted, on any instance) reaches the running job's token.
                CancellationCheckInterval = TimeSpan.FromMilliseconds(dashboard.Value.Jobs.CancelCheckMs),
            };
            _servers.Add(new BackgroundJobServer(options, storage));
        }
        logger.LogInformation("Jobs: {Count} Hangfire worker(s), queues {Queues}", _servers.Count, string.Join(", ", Enumerable.Range(0, slots.All.Count).Select(served.Queue)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var server in _servers)
            server.SendStop();
        foreach (var server in _servers)
            server.Dispose();
        _servers.Clear();
        return Task.CompletedTask;
    }
}
