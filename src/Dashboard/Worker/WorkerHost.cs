using Dashboard.Agent;
using Dashboard.Configuration;
using Dashboard.Ingestion;
using Dashboard.Jobs;
using Dashboard.Live;
using Dashboard.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Worker;

/// <summary>
/// <c>Dashboard worker --store … --gpus 0,1 [--node NAME]</c>: on a GPU node, a Hangfire server per GPU for
/// that node's queues (<c>NODE-gpu0</c>, …), running the evaluate and sample jobs on the checkpoints its
/// agent reported. Results go into the shared store (points through the writer, images into
/// <c>job_images</c>), and with <c>--redis</c> live to every web instance's hub clients. No web server, no
/// watcher, no rules here.
/// </summary>
public static class WorkerHost
{
    /// <summary>The worker's own data folder (its jobs' scratch output) by default, never a web instance's.</summary>
    public const string DefaultData = "worker-data";

    /// <summary>In the data folder while the worker's Hangfire servers are up: the container's healthcheck.</summary>
    public const string ReadyFile = "worker.ready";

    public static IHost Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = RoleHostBuilder.Create(args, DefaultData, overrides);

        var configuration = builder.Configuration;
        var options = configuration.Get<DashboardOptions>() ?? new DashboardOptions();
        if (Problem(options) is { } problem)
            throw new ArgumentException(problem);

        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration("");
        services.AddSingleton(TimeProvider.System);
        services.AddStore(configuration);
        services.AddSingleton<LiveBus>();
        services.AddSingleton<RunNotices>();
        services.AddIngestWriter();
        // With --redis, the jobs' progress and result points reach the web instances' hub clients.
        services.AddLiveHub(configuration);
        services.AddHostedService<HubBroadcaster>();
        services.AddJobRunning(configuration, new ServedQueues(options.Node));

        var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var data = Path.GetFullPath(host.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.Data);
        lifetime.ApplicationStopping.Register(() => File.Delete(Path.Combine(data, ReadyFile)));
        lifetime.ApplicationStarted.Register(() =>
        {
            var slots = host.Services.GetRequiredService<GpuSlots>().All;
            var served = host.Services.GetRequiredService<ServedQueues>();
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, ReadyFile), DateTimeOffset.UtcNow.ToString("O"));
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerHost)).LogInformation(
                "Worker for node {Node} is up: queues {Queues} (GPUs {Gpus}); scratch output in {Data}",
                options.Node, string.Join(", ", slots.Select((_, i) => served.Queue(i))), string.Join(", ", slots), data);
        });
        return host;
    }

    /// <summary>Why the worker cannot start with these settings, or null.</summary>
    public static string? Problem(DashboardOptions options)
    {
        if (!options.Store.IsPostgres || string.IsNullOrWhiteSpace(options.Store.ConnectionString))
            return "--store \"Host=…;Database=…;Username=…;Password=…\" is required: a worker takes its jobs from, and writes its results to, the web instances' PostgreSQL store.";
        if (AgentOptions.NodeProblem(options.Node) is { } node)
            return node;
        var errors = new List<string>();
        StoreOptionsValidation.AddErrors(options.Store, errors);
        JobsOptionsValidation.AddErrors(options.Jobs, [], errors);
        if (options.Live.Redis is { Length: > 0 } redis && !RedisAddress.IsValid(redis))
            errors.Add($"--redis '{redis.Split(',', 2)[0]}' is not HOST:PORT.");
        return errors.Count > 0 ? string.Join(" ", errors) : null;
    }
}
