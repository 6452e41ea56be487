using Dashboard.Ingestion;
using Dashboard.Configuration;
using Dashboard.Storage.Points;
using Dashboard.Storage.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Storage;

/// <summary>Wires the store of the configured engine behind the engine-neutral services everything else uses.</summary>
public static class StoreServices
{
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        // Which classes to register is decided here, before options exist; a bad provider or connection
        // string is reported by the options validation at start (StoreOptionsValidation), so an unknown
        // provider falls back to SQLite only long enough to be refused.
        var store = configuration.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions();
        if (store.IsPostgres)
        {
            services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<DashboardOptions>>().Value.Store.ConnectionString!));
            services.AddSingleton<IStoreDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IPointStore, PostgresPointStore>();
            services.AddHostedService<PostgresStoreInitializer>();
        }
        else
        {
            services.AddSingleton(sp => new SqliteDatabase(Path.Combine(Path.GetFullPath(sp.GetRequiredService<IOptions<DashboardOptions>>().Value.Data), "dashboard.db")));
            services.AddSingleton<IStoreDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
            services.AddSingleton<IPointStore, SqlitePointStore>();
            services.AddHostedService<StoreInitializer>();
        }
        services.AddDbContextFactory<DashboardDbContext>((sp, db) => sp.GetRequiredService<IStoreDatabase>().Configure((DbContextOptionsBuilder<DashboardDbContext>)db));
        services.AddSingleton<IRunReader, RunReader>();
        services.AddSingleton<SourceFileReader>();
        services.AddSingleton<ISourcePositions>(sp => sp.GetRequiredService<SourceFileReader>());
        return services;
    }
}
