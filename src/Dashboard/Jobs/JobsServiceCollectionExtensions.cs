using Hangfire;
using Hangfire.InMemory;

namespace Dashboard.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Jobs on checkpoints: Hangfire, a queue per GPU slot (<see cref="GpuWorkers"/>). The embedded
    /// default keeps Hangfire's own state in memory: the jobs table is durable, and <see cref="JobStartup"/>
    /// (registered before the workers) marks interrupted jobs and enqueues every queued one again at
    /// start. Hangfire.Storage.SQLite was not taken: it replaces the native SQLite build under the point
    /// store with its own (and a 3.x SQLitePCLRaw beside EF Core's 2.x), has no sliding invisibility
    /// timeout and locks in one process only (README, Jobs on checkpoints).
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobFolders>();
        services.AddSingleton<GpuSlots>();
        services.AddSingleton<JobNotifier>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobStarter>();
        services.AddSingleton<JobActions>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobReader>();
        services.AddSingleton<CheckpointReader>();
        services.AddTransient<CheckpointJob>();
        // This host's own storage and activator, registered before AddHangfire (which only adds what is
        // missing): its defaults are process-wide statics, so two hosts in one process (the tests) would
        // share one queue and run each other's jobs.
        services.AddSingleton<JobStorage>(_ => new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long }));
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new SilentLogProvider()));
        services.AddHostedService<JobStartup>();
        services.AddHostedService<GpuWorkers>();
        services.AddHostedService<AutoJobs>();
        // The workers' shutdown (killing a running evaluator) must finish before the host stops waiting.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = GpuWorkers.ShutdownTimeout + TimeSpan.FromSeconds(20));
        return services;
    }
}
