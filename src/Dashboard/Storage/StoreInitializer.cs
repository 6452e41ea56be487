using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Storage;

/// <summary>Creates the data folder and the SQLite schema, migrating an older one, before any other service starts.</summary>
public sealed class StoreInitializer(SqliteDatabase database, IPointStore points, ILogger<StoreInitializer> logger) : IHostedService
{
    // 1: one row per point in `points`; 2: per-metric compressed chunks in `point_chunks`;
    // 3: alerts.ValueIsNaN, since SQLite cannot hold the NaN that raised a non-finite alert;
    // 4: runs.SummaryJson, the figures a framework prints about the whole run (never its config).
    // 5: jobs.Queue and jobs.HangfireId, so any instance (or worker) can place, stop and cancel a job.
    public const int SchemaVersion = 5;
    public const int SummaryVersion = 4;
    private const int ChunksVersion = 2;
    private const int AlertNaNVersion = 3;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database.FilePath))!);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        await MissingTables.CreateAsync(database, connection, null, cancellationToken);
        await points.EnsureSchemaAsync(connection, cancellationToken);
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = $"""
                CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
                INSERT INTO schema_version (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema_version);
                SELECT version FROM schema_version;
                """;
            var found = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken));
            if (found == 1)
                found = await MigrateRowsToChunksAsync(connection, cancellationToken);
            if (found == ChunksVersion)
                found = await AddColumnAsync(connection, "alerts", ["ValueIsNaN INTEGER NOT NULL DEFAULT 0"], AlertNaNVersion, cancellationToken);
            if (found == AlertNaNVersion)
                found = await AddColumnAsync(connection, "runs", ["SummaryJson TEXT NULL"], SummaryVersion, cancellationToken);
            if (found == SummaryVersion)
                found = await AddColumnAsync(connection, "jobs", [.. JobQueueColumns.Select(c => c + " TEXT NULL")], SchemaVersion, cancellationToken);
            if (found != SchemaVersion)
                throw new InvalidOperationException($"The store {database.FilePath} has schema version {found}; this build reads version {SchemaVersion}.");
        }
        logger.LogInformation("Store ready at {Path}", database.FilePath);
    }

    /// <summary>Moves a version-1 store's point rows into chunks, in one transaction.</summary>
    private async Task<int> MigrateRowsToChunksAsync(Microsoft.Data.Sqlite.SqliteConnection connection, CancellationToken cancellationToken)
    {
        logger.LogInformation("Converting the points of {Path} to chunks", database.FilePath);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)transaction;
            read.CommandText = "SELECT metric_id, step, value, unix_ms FROM points ORDER BY metric_id, step";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            var pending = new List<Core.Records.StoredPoint>();
            long metric = -1;
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                if ((id != metric || pending.Count >= 65_536) && pending.Count > 0)
                {
                    await points.AppendAsync(transaction, metric, pending, cancellationToken);
                    pending.Clear();
                }
                metric = id;
                pending.Add(new(reader.GetInt64(1), reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2), reader.GetInt64(3)));
            }
            if (pending.Count > 0)
                await points.AppendAsync(transaction, metric, pending, cancellationToken);
        }
        await using (var finish = connection.CreateCommand())
        {
            finish.Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)transaction;
            finish.CommandText = $"DROP TABLE points; UPDATE schema_version SET version = {ChunksVersion};";
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ChunksVersion;
    }

    /// <summary>
    /// Adds the columns an older store lacks and moves it to <paramref name="version"/>. A table made just now by
    /// <see cref="MissingTables"/> (an older store without that feature) has the columns already.
    /// </summary>
    private static async Task<int> AddColumnAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string table, string[] columns, int version, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)transaction;
        foreach (var column in columns)
        {
            var name = column[..column.IndexOf(' ')];
            command.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{name}'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 0)
            {
                command.CommandText = $"ALTER TABLE {table} ADD COLUMN {column}";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        command.CommandText = $"UPDATE schema_version SET version = {version}";
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>The jobs columns schema version 5 added (both engines).</summary>
    public static readonly string[] JobQueueColumns = ["Queue", "HangfireId"];

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
