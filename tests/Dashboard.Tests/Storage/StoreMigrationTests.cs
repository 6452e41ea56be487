using Dashboard.Core.Records;
using Dashboard.Storage;
using Dashboard.Storage.Points;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Storage;

public sealed class StoreMigrationTests
{
    /// <summary>Runs <paramref name="test"/> against a store file in its own temporary folder, removed afterwards.</summary>
    private static async Task InTemporaryStoreAsync(Func<SqliteDatabase, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-migrate-");
        try
        {
            await test(new SqliteDatabase(Path.Combine(folder.FullName, "dashboard.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Starts a store made by this build after <paramref name="older"/> turned it into what an older build left.</summary>
    private static async Task StartAfterAsync(SqliteDatabase database, string older)
    {
        var initializer = new StoreInitializer(database, new SqlitePointStore(database), NullLogger<StoreInitializer>.Instance);
        await initializer.StartAsync(CancellationToken.None);
        await ExecuteAsync(database, older);
        await initializer.StartAsync(CancellationToken.None);
    }

    private static async Task ExecuteAsync(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first row <paramref name="sql"/> reads.</summary>
    private static async Task<object[]> RowAsync(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = new object[reader.FieldCount];
        reader.GetValues(row);
        return row;
    }

    [Fact]
    public Task A_version_1_store_keeps_its_points_as_chunks() => InTemporaryStoreAsync(async database =>
    {
        var expected = Enumerable.Range(1, 2500).Select(i => new StoredPoint(i * 5L, i == 7 ? double.NaN : i * 0.25, 1_000 + i)).ToList();
        await ExecuteAsync(database, """
            CREATE TABLE points (metric_id INTEGER NOT NULL, step INTEGER NOT NULL, value REAL, unix_ms INTEGER NOT NULL, PRIMARY KEY (metric_id, step)) WITHOUT ROWID;
            CREATE TABLE schema_version (version INTEGER NOT NULL);
            INSERT INTO schema_version VALUES (1);
            """);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO points VALUES ($m, $s, $v, $t)";
            foreach (var metric in (long[])[1, 2])
            {
                foreach (var point in expected)
                {
                    insert.Parameters.Clear();
                    insert.Parameters.AddWithValue("$m", metric);
                    insert.Parameters.AddWithValue("$s", point.Step);
                    insert.Parameters.AddWithValue("$v", double.IsNaN(point.Value) ? DBNull.Value : point.Value * metric);
                    insert.Parameters.AddWithValue("$t", point.UnixMs);
                    await insert.ExecuteNonQueryAsync();
                }
            }
        }

        var store = new SqlitePointStore(database);
        await new StoreInitializer(database, store, NullLogger<StoreInitializer>.Instance).StartAsync(CancellationToken.None);

        Assert.Equal(expected, await store.ReadAsync(1, StepRange.All, null, CancellationToken.None));
        Assert.Equal(expected.Select(p => p with { Value = p.Value * 2 }), await store.ReadAsync(2, StepRange.All, null, CancellationToken.None));
        Assert.Equal([(long)StoreInitializer.SchemaVersion, 0L], await RowAsync(database, "SELECT (SELECT version FROM schema_version), (SELECT count(*) FROM sqlite_master WHERE name = 'points')"));
    });

    [Fact]
    public Task A_store_from_an_older_build_gains_the_new_tables_and_keeps_its_runs() => InTemporaryStoreAsync(async database =>
    {
        await StartAfterAsync(database, """
            INSERT INTO runs (Name, Project, Source, Status, StartedAtMs, UpdatedAtMs, SkippedBytes) VALUES ('r', 'p', '/p/r.log', 'Running', 1, 1, 0);
            DROP TABLE alerts;
            """);

        Assert.Equal([1L, 1L], await RowAsync(database, "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM sqlite_master WHERE name = 'alerts')"));
    });

    [Fact]
    public Task A_version_2_store_gains_the_alerts_nan_flag_and_keeps_its_alerts_values() => InTemporaryStoreAsync(async database =>
    {
        await StartAfterAsync(database, """
            INSERT INTO runs (Name, Project, Source, Status, StartedAtMs, UpdatedAtMs, SkippedBytes) VALUES ('r', 'p', '/p/r.log', 'Running', 1, 1, 0);
            ALTER TABLE alerts DROP COLUMN ValueIsNaN;
            INSERT INTO alerts (RunId, RuleId, Metric, Severity, Message, Advice, Value, RaisedAtMs, UpdatedAtMs) VALUES (1, 'loss-d-high', 'Loss_D', 'Warning', 'm', 'a', 1.5, 1, 1);
            UPDATE schema_version SET version = 2;
            """);

        Assert.Equal([(long)StoreInitializer.SchemaVersion, 1.5, 0L], await RowAsync(database, "SELECT (SELECT version FROM schema_version), Value, ValueIsNaN FROM alerts"));
    });

    [Fact]
    public Task A_version_3_store_gains_the_runs_summary_and_keeps_its_runs() => InTemporaryStoreAsync(async database =>
    {
        await StartAfterAsync(database, """
            ALTER TABLE runs DROP COLUMN SummaryJson;
            INSERT INTO runs (Name, Project, Source, Status, StartedAtMs, UpdatedAtMs, SkippedBytes, ConfigJson) VALUES ('r', 'p', '/p/r.log', 'Running', 1, 1, 0, '{"lr":0.1}');
            UPDATE schema_version SET version = 3;
            """);

        Assert.Equal([(long)StoreInitializer.SchemaVersion, "{\"lr\":0.1}", DBNull.Value], await RowAsync(database, "SELECT (SELECT version FROM schema_version), ConfigJson, SummaryJson FROM runs"));
    });
}
