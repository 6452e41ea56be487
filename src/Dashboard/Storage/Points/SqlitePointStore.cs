using System.Data.Common;
using Dashboard.Core.Records;
using Dashboard.Core.Statistics;
using Dashboard.Core.Storage;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
            -- A read walks the summaries alone (a few hundred bytes a chunk, packed in this index)
            -- and then fetches only the payloads it must decode.
            CREATE INDEX IF NOT EXISTS point_chunks_summaries ON point_chunks (metric_id, last_step, first_step, count, summary);
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

        Write(connection, transaction, metricId, tail, points);
    }

    /// <summary>Fills the open chunk first, then writes full chunks straight from the caller's points.</summary>
    private static void Write(SqliteConnection connection, DbTransaction transaction, long metricId, ChunkHead? tail, IReadOnlyList<StoredPoint> points)
    {
        ReadOnlySpan<StoredPoint> fresh = points switch
        {
            List<StoredPoint> list => CollectionsMarshal.AsSpan(list),
            StoredPoint[] array => array,
            _ => points.ToArray(),
        };
        using var insert = InsertCommand(connection, transaction);
        if (tail is { Count: < ChunkSize } open)
        {
            var stored = PointChunkCodec.Decode(Payload(connection, transaction, open.RowId));
            DeleteChunk(connection, transaction, open.RowId);
            var take = Math.Min(ChunkSize - stored.Length, fresh.Length);
            var first = new StoredPoint[stored.Length + take];
            stored.CopyTo(first, 0);
            fresh[..take].CopyTo(first.AsSpan(stored.Length));
            Insert(insert, metricId, first);
            fresh = fresh[take..];
        }
        for (var start = 0; start < fresh.Length; start += ChunkSize)
            Insert(insert, metricId, fresh.Slice(start, Math.Min(ChunkSize, fresh.Length - start)));
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

    public Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, long fromStep, int? maxPoints, CancellationToken cancellationToken) =>
        ReadAsync(metricId, fromStep, maxPoints, null, cancellationToken);

    public Task ReadAllAsync(long metricId, List<StoredPoint> into, CancellationToken cancellationToken) =>
        ReadAsync(metricId, long.MinValue, null, into, cancellationToken);

    public async IAsyncEnumerable<StoredPoint[]> ReadChunksAsync(long metricId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: every chunk comes from the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        var rowIds = new List<long>();
        using (var command = Command(connection, transaction, "SELECT rowid FROM point_chunks INDEXED BY point_chunks_summaries WHERE metric_id = $m ORDER BY last_step"))
        {
            command.Parameters.AddWithValue("$m", metricId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                rowIds.Add(reader.GetInt64(0));
        }
        using var payload = Command(connection, transaction, "SELECT payload FROM point_chunks WHERE rowid = $r");
        var rowId = payload.Parameters.Add("$r", SqliteType.Integer);
        var scratch = new StoredPoint[ChunkSize];
        foreach (var id in rowIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rowId.Value = id;
            yield return PointChunkCodec.Decode((byte[])payload.ExecuteScalar()!, scratch);
        }
    }

    private async Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, long fromStep, int? maxPoints, List<StoredPoint>? into, CancellationToken cancellationToken)
    {
        into?.Clear();
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: every statement below sees the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);

        // The summaries, from the covering index (chunks never overlap, so last_step orders them as first_step does).
        var rowIds = new List<long>();
        var counts = new List<int>();
        var summaries = new List<ChunkSummary>();
        long firstStep = 0;
        using (var command = Command(connection, transaction, """
            SELECT rowid, count, first_step, summary FROM point_chunks INDEXED BY point_chunks_summaries
            WHERE metric_id = $m AND last_step >= $s ORDER BY last_step
            """))
        {
            command.Parameters.AddWithValue("$m", metricId);
            command.Parameters.AddWithValue("$s", fromStep);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (counts.Count == 0)
                    firstStep = reader.GetInt64(2);
                rowIds.Add(reader.GetInt64(0));
                counts.Add(reader.GetInt32(1));
                summaries.Add(ChunkSummary.FromBytes((byte[])reader.GetValue(3)));
            }
        }
        if (counts.Count == 0)
            return into ?? [];

        using var payload = Command(connection, transaction, "SELECT payload FROM point_chunks WHERE rowid = $r");
        var rowId = payload.Parameters.Add("$r", SqliteType.Integer);
        // Each decoded chunk is used (or copied) before the next is decoded, so full chunks share one array.
        var scratch = new StoredPoint[ChunkSize];
        StoredPoint[] Decode(int j)
        {
            rowId.Value = rowIds[j];
            return PointChunkCodec.Decode((byte[])payload.ExecuteScalar()!, scratch);
        }

        // The first chunk may start before fromStep: read trimmed, with its summary recomputed.
        StoredPoint[]? head = null;
        if (firstStep < fromStep)
        {
            head = Trim(Decode(0), fromStep);
            counts[0] = head.Length;
            summaries[0] = ChunkSummary.Of(head);
        }
        StoredPoint[] Chunk(int j) => j == 0 && head is not null ? head : Decode(j);

        if (maxPoints is { } max)
            return ChunkedDownsampler.Reduce(summaries, Chunk, max);
        var all = into ?? new List<StoredPoint>(counts.Sum());
        all.EnsureCapacity(counts.Sum());
        for (var j = 0; j < counts.Count; j++)
            all.AddRange(Chunk(j));
        return all;
    }

    private static StoredPoint[] Trim(StoredPoint[] points, long fromStep) =>
        points[Array.FindIndex(points, p => p.Step >= fromStep)..];

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

    private static SqliteConnection Connection(DbTransaction transaction) => ((SqliteTransaction)transaction).Connection!;

    private static SqliteCommand Command(SqliteConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        return command;
    }
}
