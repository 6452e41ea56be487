using System.Data.Common;
using Dashboard.Core.Records;
using Microsoft.Data.Sqlite;

namespace Dashboard.Storage.Points;

/// <summary>One row per point, clustered by (metric, step). NaN is stored as NULL, which SQLite does anyway.</summary>
public sealed class SqlitePointStore(SqliteDatabase database) : IPointStore
{
    public async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS points (
                metric_id INTEGER NOT NULL,
                step INTEGER NOT NULL,
                value REAL,
                unix_ms INTEGER NOT NULL,
                PRIMARY KEY (metric_id, step)
            ) WITHOUT ROWID;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendAsync(DbTransaction transaction, IReadOnlyList<PointRow> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
            return;
        await using var command = Command(transaction,
            "INSERT OR REPLACE INTO points (metric_id, step, value, unix_ms) VALUES ($m, $s, $v, $t)");
        var metric = command.Parameters.Add("$m", SqliteType.Integer);
        var step = command.Parameters.Add("$s", SqliteType.Integer);
        var value = command.Parameters.Add("$v", SqliteType.Real);
        var time = command.Parameters.Add("$t", SqliteType.Integer);
        command.Prepare();
        foreach (var point in points)
        {
            metric.Value = point.MetricId;
            step.Value = point.Step;
            value.Value = double.IsNaN(point.Value) ? DBNull.Value : point.Value;
            time.Value = point.UnixMs;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task DeleteFromAsync(DbTransaction transaction, long metricId, long fromStep, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, "DELETE FROM points WHERE metric_id = $m AND step >= $s");
        command.Parameters.AddWithValue("$m", metricId);
        command.Parameters.AddWithValue("$s", fromStep);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PointAggregate> AggregateAsync(DbTransaction transaction, long metricId, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, """
            SELECT (SELECT count(*) FROM points WHERE metric_id = $m),
                   f.step, f.value, l.step, l.value, mn.step, mn.value, mx.step, mx.value
            FROM (SELECT 1)
            LEFT JOIN (SELECT step, value FROM points WHERE metric_id = $m ORDER BY step LIMIT 1) f
            LEFT JOIN (SELECT step, value FROM points WHERE metric_id = $m ORDER BY step DESC LIMIT 1) l
            LEFT JOIN (SELECT step, value FROM points WHERE metric_id = $m AND value IS NOT NULL ORDER BY value, step LIMIT 1) mn
            LEFT JOIN (SELECT step, value FROM points WHERE metric_id = $m AND value IS NOT NULL ORDER BY value DESC, step LIMIT 1) mx
            """);
        command.Parameters.AddWithValue("$m", metricId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new PointAggregate(reader.GetInt64(0), At(reader, 1), At(reader, 3), At(reader, 5), At(reader, 7));
    }

    public async Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, long fromStep, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT step, value, unix_ms FROM points WHERE metric_id = $m AND step >= $s ORDER BY step";
        command.Parameters.AddWithValue("$m", metricId);
        command.Parameters.AddWithValue("$s", fromStep);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var points = new List<StoredPoint>();
        while (await reader.ReadAsync(cancellationToken))
            points.Add(new StoredPoint(reader.GetInt64(0), ValueAt(reader, 1), reader.GetInt64(2)));
        return points;
    }

    private static SqliteCommand Command(DbTransaction transaction, string sql)
    {
        var sqliteTransaction = (SqliteTransaction)transaction;
        var command = sqliteTransaction.Connection!.CreateCommand();
        command.Transaction = sqliteTransaction;
        command.CommandText = sql;
        return command;
    }

    private static double ValueAt(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    private static StepValue? At(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new StepValue(reader.GetInt64(ordinal), ValueAt(reader, ordinal + 1));
}
