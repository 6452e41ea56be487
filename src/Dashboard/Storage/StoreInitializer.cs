using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Storage;

/// <summary>Creates the data folder and the schema before any other service starts.</summary>
public sealed class StoreInitializer(SqliteDatabase database, IPointStore points, ILogger<StoreInitializer> logger) : IHostedService
{
    private const int SchemaVersion = 1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database.FilePath))!);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite(connection).Options))
            await db.Database.EnsureCreatedAsync(cancellationToken);
        await points.EnsureSchemaAsync(connection, cancellationToken);
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = $"""
                CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
                INSERT INTO schema_version (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema_version);
                SELECT version FROM schema_version;
                """;
            var found = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken));
            if (found != SchemaVersion)
                throw new InvalidOperationException($"The store {database.FilePath} has schema version {found}; this build reads version {SchemaVersion}.");
        }
        logger.LogInformation("Store ready at {Path}", database.FilePath);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
