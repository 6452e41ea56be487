using Dashboard.Core.Records;
using Dashboard.Storage;
using Dashboard.Storage.Points;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Storage;

public sealed class StoreMigrationTests
{
    [Fact]
    public async Task A_version_1_store_keeps_its_points_as_chunks()
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-migrate-");
        try
        {
            var database = new SqliteDatabase(Path.Combine(folder.FullName, "dashboard.db"));
            var expected = Enumerable.Range(1, 2500).Select(i => new StoredPoint(i * 5L, i == 7 ? double.NaN : i * 0.25, 1_000 + i)).ToList();
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = """
                    CREATE TABLE points (metric_id INTEGER NOT NULL, step INTEGER NOT NULL, value REAL, unix_ms INTEGER NOT NULL, PRIMARY KEY (metric_id, step)) WITHOUT ROWID;
                    CREATE TABLE schema_version (version INTEGER NOT NULL);
                    INSERT INTO schema_version VALUES (1);
                    """;
                await create.ExecuteNonQueryAsync();
                await using var insert = connection.CreateCommand();
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

            Assert.Equal(expected, await store.ReadAsync(1, 0, null, CancellationToken.None));
            Assert.Equal(expected.Select(p => p with { Value = p.Value * 2 }), await store.ReadAsync(2, 0, null, CancellationToken.None));
            await using var check = await database.OpenAsync(CancellationToken.None);
            await using var command = check.CreateCommand();
            command.CommandText = "SELECT (SELECT version FROM schema_version), (SELECT count(*) FROM sqlite_master WHERE name = 'points')";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(2, reader.GetInt32(0));
            Assert.Equal(0, reader.GetInt32(1));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_store_from_an_older_build_gains_the_new_tables_and_keeps_its_runs()
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-migrate-");
        try
        {
            var database = new SqliteDatabase(Path.Combine(folder.FullName, "dashboard.db"));
            var store = new SqlitePointStore(database);
            var initializer = new StoreInitializer(database, store, NullLogger<StoreInitializer>.Instance);
            await initializer.StartAsync(CancellationToken.None);
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            await using (var older = connection.CreateCommand())
            {
                older.CommandText = """
                    INSERT INTO runs (Name, Project, Source, Status, StartedAtMs, UpdatedAtMs, SkippedBytes) VALUES ('r', 'p', '/p/r.log', 'Running', 1, 1, 0);
                    DROP TABLE alerts;
                    """;
                await older.ExecuteNonQueryAsync();
            }

            await initializer.StartAsync(CancellationToken.None);

            await using var check = await database.OpenAsync(CancellationToken.None);
            await using var command = check.CreateCommand();
            command.CommandText = "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM sqlite_master WHERE name = 'alerts')";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(1, reader.GetInt32(0));
            Assert.Equal(1, reader.GetInt32(1));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
