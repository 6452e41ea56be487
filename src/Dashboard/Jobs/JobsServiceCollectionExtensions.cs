using Dashboard.Storage;
using Quartz;

namespace Dashboard.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Jobs on checkpoints: Quartz with its persistent store in the dashboard's SQLite file. Its QRTZ_ tables
    /// are created at start from the schema Quartz ships for its own version (the repository's
    /// tables_sqlite.sql lags behind 4.7's columns); <see cref="JobStartup"/> is registered before Quartz's
    /// hosted service so interrupted jobs are requeued before the scheduler fires anything.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobFolders>();
        services.AddSingleton<GpuSlots>();
        services.AddSingleton<JobNotifier>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobReader>();
        services.AddSingleton<CheckpointReader>();
        services.AddTransient<CheckpointJob>();
        services.AddHostedService<JobStartup>();
        services.AddHostedService<AutoJobs>();

        services.AddQuartz(quartz =>
        {
            // Waiting for a GPU slot happens inside a job (it stays queued), so threads outnumber slots.
            quartz.UseDefaultThreadPool(16);
            quartz.UsePersistentStore(store =>
            {
                store.UseConnectionProvider(sp => new Quartz.Impl.AdoJobStore.Common.DbProvider("SQLite-Microsoft", sp.GetRequiredService<SqliteDatabase>().ConnectionString));
                store.UseDriverDelegate<Quartz.Impl.AdoJobStore.SQLiteDelegate>();
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        return services;
    }
}
