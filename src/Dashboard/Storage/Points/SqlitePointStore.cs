using System.Data.Common;
using Dashboard.Core.Records;
using Dashboard.Core.Statistics;
using Dashboard.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Dashboard.Storage.Points;

/// <summary>
/// Points as per-metric chunks of up to <see cref="ChunkSize"/> consecutive points: one row per chunk
/// with its step range, count, NaN count, min/max/first/last (as columns, and with positions, steps
/// and wall times in <c>summary</c>) and the points compressed by <see cref="PointChunkCodec"/>.
/// A metric's last chunk is its open one: appends decode it, add to it and write it again, so a
/// commit of a handful of points costs one small blob, and points are queryable once committed.
/// </summary>
public sealed class SqlitePointStore(SqliteDatabase database) : IPointStore
{
    public const int ChunkSize = 1024;

    public async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // A rowid table (not WITHOUT ROWID): chunk rows of a few kilobytes stay on their leaf page,
        // and the payload is the last column, so reading summaries never touches it.
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS point_chunks (
                metric_id INTEGER NOT NULL,
                first_step INTEGER NOT NULL,
                last_step INTEGER NOT NULL,
                count INTEGER NOT NULL,
                nan_count INTEGER NOT NULL,
                min REAL,
                max REAL,
                first_value REAL,
                last_value REAL,
                summary BLOB NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (metric_id, first_step)
            );
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendAsync(DbTransaction transaction, long metricId, IReadOnlyList<StoredPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
            return;
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Step <= points[i - 1].Step)
                throw new ArgumentException($"Steps must ascend: {points[i].Step} follows {points[i - 1].Step}.", nameof(points));
        }
        var connection = Connection(transaction);
        var tail = LastChunk(connection, transaction, metricId);
        if (tail is not null && points[0].Step <= tail.Value.LastStep)
        {
            await DeleteFromAsync(transaction, metricId, points[0].Step, cancellationToken);
            tail = LastChunk(connection, transaction, metricId);
        }

        StoredPoint[] all;
        if (tail is { Count: < ChunkSize } open)
        {
            var stored = PointChunkCodec.Decode(Payload(connection, transaction, open.RowId));
            DeleteChunk(connection, transaction, open.RowId);
            all = new StoredPoint[stored.Length + points.Count];
            stored.CopyTo(all, 0);
            CopyTo(points, all, stored.Length);
        }
        else
        {
            all = new StoredPoint[points.Count];
            CopyTo(points, all, 0);
        }

        using var insert = InsertCommand(connection, transaction);
        for (var start = 0; start < all.Length; start += ChunkSize)
            Insert(insert, metricId, all.AsSpan(start, Math.Min(ChunkSize, all.Length - start)));
    }

    public Task DeleteFromAsync(DbTransaction transaction, long metricId, long fromStep, CancellationToken cancellationToken)
    {
        var connection = Connection(transaction);
        using (var delete = Command(connection, transaction, "DELETE FROM point_chunks WHERE metric_id = $m AND first_step >= $s"))
        {
            delete.Parameters.AddWithValue("$m", metricId);
            delete.Parameters.AddWithValue("$s", fromStep);
            delete.ExecuteNonQuery();
        }
        // The chunk that holds fromStep keeps its points before it.
        long? straddling = null;
        using (var find = Command(connection, transaction, "SELECT rowid FROM point_chunks WHERE metric_id = $m AND first_step < $s AND last_step >= $s"))
        {
            find.Parameters.AddWithValue("$m", metricId);
            find.Parameters.AddWithValue("$s", fromStep);
            if (find.ExecuteScalar() is long rowId)
                straddling = rowId;
        }
        if (straddling is { } chunk)
        {
            var points = PointChunkCodec.Decode(Payload(connection, transaction, chunk));
            var keep = Array.FindIndex(points, p => p.Step >= fromStep);
            DeleteChunk(connection, transaction, chunk);
            using var insert = InsertCommand(connection, transaction);
            Insert(insert, metricId, points.AsSpan(0, keep));
        }
        return Task.CompletedTask;
    }

    public Task<PointAggregate> AggregateAsync(DbTransaction transaction, long metricId, CancellationToken cancellationToken)
    {
        var connection = Connection(transaction);
        using var command = Command(connection, transaction, "SELECT summary FROM point_chunks WHERE metric_id = $m ORDER BY first_step");
        command.Parameters.AddWithValue("$m", metricId);
        using var reader = command.ExecuteReader();
        long count = 0;
        StoredPoint? first = null, last = null, min = null, max = null;
        while (reader.Read())
        {
            var summary = ChunkSummary.FromBytes((byte[])reader.GetValue(0));
            count += summary.Count;
            first ??= summary.First.Point;
            last = summary.Last.Point;
            if (summary.Min is { } low && (min is null || low.Point.Value < min.Value.Value))
                min = low.Point;
            if (summary.Max is { } high && (max is null || high.Point.Value > max.Value.Value))
                max = high.Point;
        }
        static StepValue? Of(StoredPoint? point) => point is { } p ? new StepValue(p.Step, p.Value) : null;
        return Task.FromResult(new PointAggregate(count, Of(first), Of(last), Of(min), Of(max)));
    }

    public async Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, long fromStep, int? maxPoints, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the summaries and the payloads decoded afterwards are the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        var rowIds = new List<long>();
        var summaries = new List<ChunkSummary>();
        using (var command = Command(connection, transaction,
            "SELECT rowid, summary FROM point_chunks WHERE metric_id = $m AND last_step >= $s ORDER BY first_step"))
        {
            command.Parameters.AddWithValue("$m", metricId);
            command.Parameters.AddWithValue("$s", fromStep);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rowIds.Add(reader.GetInt64(0));
                summaries.Add(ChunkSummary.FromBytes((byte[])reader.GetValue(1)));
            }
        }
        if (summaries.Count == 0)
            return [];

        using var payload = Command(connection, transaction, "SELECT payload FROM point_chunks WHERE rowid = $r");
        var rowId = payload.Parameters.Add("$r", SqliteType.Integer);
        StoredPoint[] Decode(int j)
        {
            rowId.Value = rowIds[j];
            return PointChunkCodec.Decode((byte[])payload.ExecuteScalar()!);
        }

        // The first chunk may start before fromStep: it is read trimmed, with its summary recomputed.
        StoredPoint[]? head = null;
        if (summaries[0].First.Point.Step < fromStep)
        {
            var points = Decode(0);
            head = points[Array.FindIndex(points, p => p.Step >= fromStep)..];
            summaries[0] = ChunkSummary.Of(head);
        }
        StoredPoint[] Chunk(int j) => j == 0 && head is not null ? head : Decode(j);

        if (maxPoints is { } max)
            return ChunkedDownsampler.Reduce(summaries, Chunk, max);
        var all = new List<StoredPoint>(summaries.Sum(s => s.Count));
        for (var j = 0; j < summaries.Count; j++)
            all.AddRange(Chunk(j));
        return all;
    }

    private readonly record struct ChunkHead(long RowId, long LastStep, int Count);

    private static ChunkHead? LastChunk(SqliteConnection connection, DbTransaction transaction, long metricId)
    {
        using var command = Command(connection, transaction,
            "SELECT rowid, last_step, count FROM point_chunks WHERE metric_id = $m ORDER BY first_step DESC LIMIT 1");
        command.Parameters.AddWithValue("$m", metricId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ChunkHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)) : null;
    }

    private static byte[] Payload(SqliteConnection connection, DbTransaction transaction, long rowId)
    {
        using var command = Command(connection, transaction, "SELECT payload FROM point_chunks WHERE rowid = $r");
        command.Parameters.AddWithValue("$r", rowId);
        return (byte[])command.ExecuteScalar()!;
    }

    private static void DeleteChunk(SqliteConnection connection, DbTransaction transaction, long rowId)
    {
        using var command = Command(connection, transaction, "DELETE FROM point_chunks WHERE rowid = $r");
        command.Parameters.AddWithValue("$r", rowId);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand InsertCommand(SqliteConnection connection, DbTransaction transaction)
    {
        var command = Command(connection, transaction, """
            INSERT INTO point_chunks (metric_id, first_step, last_step, count, nan_count, min, max, first_value, last_value, summary, payload)
            VALUES ($m, $f, $l, $c, $n, $min, $max, $fv, $lv, $summary, $payload)
            """);
        foreach (var name in (string[])["$m", "$f", "$l", "$c", "$n", "$min", "$max", "$fv", "$lv", "$summary", "$payload"])
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Insert(SqliteCommand insert, long metricId, ReadOnlySpan<StoredPoint> points)
    {
        if (points.IsEmpty)
            return;
        var summary = ChunkSummary.Of(points);
        var parameters = insert.Parameters;
        parameters[0].Value = metricId;
        parameters[1].Value = points[0].Step;
        parameters[2].Value = points[^1].Step;
        parameters[3].Value = points.Length;
        parameters[4].Value = summary.NaNCount;
        parameters[5].Value = Real(summary.Min?.Point.Value);
        parameters[6].Value = Real(summary.Max?.Point.Value);
        parameters[7].Value = Real(points[0].Value);
        parameters[8].Value = Real(points[^1].Value);
        parameters[9].Value = summary.ToBytes();
        parameters[10].Value = PointChunkCodec.Encode(points);
        insert.ExecuteNonQuery();
    }

    /// <summary>For the human-readable columns only: NaN as NULL (SQLite would anyway).</summary>
    private static object Real(double? value) => value is { } v && !double.IsNaN(v) ? v : DBNull.Value;

    private static void CopyTo(IReadOnlyList<StoredPoint> points, StoredPoint[] target, int at)
    {
        if (points is StoredPoint[] array)
            array.CopyTo(target, at);
        else if (points is List<StoredPoint> list)
            list.CopyTo(target, at);
        else
            for (var i = 0; i < points.Count; i++)
                target[at + i] = points[i];
    }

    private static SqliteConnection Connection(DbTransaction transaction) => ((SqliteTransaction)transaction).Connection!;

    private static SqliteCommand Command(SqliteConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        return command;
    }
}
