using System.Data.Common;
using Dashboard.Core.Records;
using Dashboard.Core.Statistics;
using Dashboard.Core.Storage;
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
            -- Covers the first step of a read (where the buckets fall) without touching chunk rows.
            CREATE INDEX IF NOT EXISTS point_chunks_counts ON point_chunks (metric_id, last_step, first_step, count);
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

    public async Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, long fromStep, int? maxPoints, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: every statement below sees the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        const string Range = "FROM point_chunks WHERE metric_id = $m AND last_step >= $s ORDER BY first_step";

        // First the counts alone (no blobs), to know where the buckets fall.
        var counts = new List<int>();
        long firstStep = 0;
        // Chunks never overlap, so last_step orders them as first_step does (and the index has it).
        using (var command = Command(connection, transaction,
            "SELECT count, first_step FROM point_chunks WHERE metric_id = $m AND last_step >= $s ORDER BY last_step"))
        {
            command.Parameters.AddWithValue("$m", metricId);
            command.Parameters.AddWithValue("$s", fromStep);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (counts.Count == 0)
                    firstStep = reader.GetInt64(1);
                counts.Add(reader.GetInt32(0));
            }
        }
        if (counts.Count == 0)
            return [];

        // Then the summaries, and the payloads of the chunks that must be decoded: all of them for a
        // full read, else only those a bucket boundary cuts (and the first, when fromStep cuts it).
        var decode = new bool[counts.Count];
        var payloads = new byte[]?[counts.Count];
        var summaries = new List<ChunkSummary>(counts.Count);
        var trimFirst = firstStep < fromStep;
        if (trimFirst)
            decode[0] = true;
        using (var command = Command(connection, transaction, "SELECT summary, payload " + Range))
        {
            command.Parameters.AddWithValue("$m", metricId);
            command.Parameters.AddWithValue("$s", fromStep);
            using var reader = command.ExecuteReader();
            var j = 0;
            var marked = false;
            while (reader.Read() && j < counts.Count)
            {
                if (j == 0 && trimFirst)
                {
                    // The first chunk's trimmed size moves every boundary: settle it before marking.
                    payloads[0] = (byte[])reader.GetValue(1);
                    var head = Trim(PointChunkCodec.Decode(payloads[0]), fromStep);
                    counts[0] = head.Length;
                    summaries.Add(ChunkSummary.Of(head));
                }
                else
                {
                    summaries.Add(ChunkSummary.FromBytes((byte[])reader.GetValue(0)));
                }
                if (!marked)
                {
                    MarkCut(counts, maxPoints, decode);
                    marked = true;
                }
                if (decode[j] && payloads[j] is null)
                    payloads[j] = (byte[])reader.GetValue(1);
                j++;
            }
            if (j != counts.Count)
                throw new InvalidOperationException("The chunks changed within one read transaction.");
        }

        // Each decoded chunk is used (or copied) before the next is decoded, so full chunks share one array.
        var scratch = new StoredPoint[ChunkSize];
        StoredPoint[] Chunk(int j)
        {
            var points = PointChunkCodec.Decode(payloads[j] ?? throw new InvalidOperationException($"Chunk {j} was not read."), scratch);
            return j == 0 && trimFirst ? Trim(points, fromStep) : points;
        }

        if (maxPoints is { } max)
            return ChunkedDownsampler.Reduce(summaries, Chunk, max);
        var all = new List<StoredPoint>(counts.Sum());
        for (var j = 0; j < counts.Count; j++)
            all.AddRange(Chunk(j));
        return all;
    }

    private static StoredPoint[] Trim(StoredPoint[] points, long fromStep) =>
        points[Array.FindIndex(points, p => p.Step >= fromStep)..];

    /// <summary>Marks the chunks a downsampled read must decode: those with a bucket boundary strictly inside.</summary>
    private static void MarkCut(List<int> counts, int? maxPoints, bool[] decode)
    {
        long total = 0;
        foreach (var count in counts)
            total += count;
        if (maxPoints is not { } max || total <= max)
        {
            Array.Fill(decode, true);
            return;
        }
        var buckets = ChunkedDownsampler.Buckets(max);
        var chunk = 0;
        long chunkStart = 0;
        for (var bucket = 1; bucket < buckets; bucket++)
        {
            var start = bucket * total / buckets;
            while (chunkStart + counts[chunk] <= start)
                chunkStart += counts[chunk++];
            if (start > chunkStart)
                decode[chunk] = true;
        }
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

    private static SqliteConnection Connection(DbTransaction transaction) => ((SqliteTransaction)transaction).Connection!;

    private static SqliteCommand Command(SqliteConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        return command;
    }
}
