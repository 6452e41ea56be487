using Dashboard.Storage.Points;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dashboard.Storage.Postgres;

/// <summary>
/// Creates the PostgreSQL schema before any other service starts. Several instances of a team
/// deployment may start at once: an advisory lock lets one create the schema while the others wait.
/// </summary>
public sealed class PostgresStoreInitializer(PostgresDatabase database, IPointStore points, ILogger<PostgresStoreInitializer> logger) : IHostedService
{
    // Any constant that no other user of the database picks: "dashboard schema".
    private const long SchemaLock = 0x0da5_b0a7_5c4e_3a00;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@lock)", connection, transaction))
        {
            command.Parameters.AddWithValue("lock", SchemaLock);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await MissingTables.CreateAsync(database, connection, transaction, cancellationToken);
        await points.EnsureSchemaAsync(connection, cancellationToken);
        await using (var version = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);
            INSERT INTO schema_version (version) SELECT {StoreInitializer.SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema_version);
            SELECT version FROM schema_version;
            """, connection, transaction))
        {
            // PostgreSQL stores began at version 4.
            var found = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken));
            if (found == StoreInitializer.SummaryVersion)
                found = await AddJobQueueColumnsAsync(connection, transaction, cancellationToken);
            if (found != StoreInitializer.SchemaVersion)
                throw new InvalidOperationException($"The store {database.Name} has schema version {found}; this build reads version {StoreInitializer.SchemaVersion}.");
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Store ready at {Name}", database.Name);
    }

    private static async Task<int> AddJobQueueColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", StoreInitializer.JobQueueColumns.Select(c => $"ADD COLUMN IF NOT EXISTS \"{c}\" text NULL"));
        await using var command = new NpgsqlCommand($"ALTER TABLE jobs {columns}; UPDATE schema_version SET version = {StoreInitializer.SchemaVersion};", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return StoreInitializer.SchemaVersion;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
