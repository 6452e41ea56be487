using Dashboard.Configuration;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;

namespace Dashboard.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire's tables in a PostgreSQL store live in this schema, apart from ours.</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Jobs on checkpoints in a web instance: started from the pages, the API and Jobs:Auto, and run on this
    /// machine's GPU slots for the runs of its own watch folders (a training node's runs go to its worker's
    /// queues). The embedded default keeps Hangfire's own state in memory: the jobs table is durable, and
    /// <see cref="JobStartup"/> (registered before the workers) puts every unfinished job back at start.
    /// Hangfire.Storage.SQLite was not taken: it replaces the native SQLite build under the point store with
    /// its own (and a 3.x SQLitePCLRaw beside EF Core's 2.x), has no sliding invisibility timeout and locks
    /// in one process only (README, Jobs on checkpoints). On PostgreSQL, Hangfire.PostgreSql.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobStarter>();
        services.AddSingleton<JobActions>();
        services.AddSingleton<JobReader>();
        services.AddSingleton<JobImages>();
        services.AddSingleton<CheckpointReader>();
        services.AddHostedService<JobStartup>();
        services.AddJobRunning(configuration, new ServedQueues(null));
        services.AddHostedService<AutoJobs>();
        return services;
    }

    /// <summary>
    /// What runs jobs: Hangfire on the store's engine, one server per GPU slot on <paramref name="served"/>'s
    /// queues (<see cref="GpuWorkers"/>), and the runner. A worker (<c>Dashboard worker</c>) has only this.
    /// </summary>
    public static IServiceCollection AddJobRunning(this IServiceCollection services, IConfiguration configuration, ServedQueues served)
    {
        services.AddSingleton(served);
        services.AddSingleton<JobFolders>();
        services.AddSingleton<GpuSlots>();
        services.AddSingleton<JobNotifier>();
        services.AddSingleton<JobRunner>();
        services.AddTransient<CheckpointJob>();
        // This host's own storage and activator, registered before AddHangfire (which only adds what is
        // missing): its defaults are process-wide statics, so two hosts in one process (the tests) would
        // share one queue and run each other's jobs.
        // Read from the configuration, not the validated options: the Hangfire dashboard takes the storage
        // while the app is wired, and a bad store setting must be refused at start, naming its key, as elsewhere.
        var store = configuration.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions();
        var storeErrors = new List<string>();
        StoreOptionsValidation.AddErrors(store, storeErrors);
        if (store.IsPostgres && storeErrors.Count == 0)
        {
            var jobs = configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
            services.AddHostedService(sp => new HangfireSchemaInstaller(store.ConnectionString!, sp.GetRequiredService<ILogger<HangfireSchemaInstaller>>()));
            services.AddSingleton<JobStorage>(_ => PostgresStorage(store.ConnectionString!, jobs));
        }
        else
        {
            services.AddSingleton<JobStorage>(_ => new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long }));
        }
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new SilentLogProvider()));
        services.AddHostedService<GpuWorkers>();
        // The workers' shutdown (killing a running evaluator) must finish before the host stops waiting.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = GpuWorkers.ShutdownTimeout + TimeSpan.FromSeconds(20));
        return services;
    }

    /// <summary>
    /// Sliding invisibility: a running job's fetch is renewed while its worker lives, so it is handed out again
    /// only after the worker died (SIGKILL, a lost node), Jobs:InvisibilityTimeoutSeconds later. Long polling
    /// (LISTEN/NOTIFY) lets a worker pick a new job up at once.
    /// </summary>
    private static PostgreSqlStorage PostgresStorage(string connectionString, JobsOptions jobs)
    {
        var postgres = new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchema,
            // HangfireSchemaInstaller does it at start; the storage must not connect when it is made.
            PrepareSchemaIfNecessary = false,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromSeconds(jobs.InvisibilityTimeoutSeconds),
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(5),
        };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, postgres, null), postgres);
    }
}
