using System.Data.Common;
using Dashboard.Core.Records;
using Dashboard.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Dashboard.Storage.Points;

/// <summary>The chunked points in the SQLite file: a chunk is found by its rowid.</summary>
public sealed class SqlitePointStore(SqliteDatabase database) : ChunkedPointStore
{
    public override async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
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

    protected override ChunkHead? LastChunk(DbTransaction transaction, long metricId)
    {
        using var command = Command(transaction, "SELECT rowid, first_step, last_step, count FROM point_chunks WHERE metric_id = $m ORDER BY first_step DESC LIMIT 1");
        command.Parameters.AddWithValue("$m", metricId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ChunkHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3)) : null;
    }

    protected override void DeleteChunk(DbTransaction transaction, long metricId, long chunkId)
    {
        using var command = Command(transaction, "DELETE FROM point_chunks WHERE rowid = $r");
        command.Parameters.AddWithValue("$r", chunkId);
        command.ExecuteNonQuery();
    }

    protected override void DeleteChunksFrom(DbTransaction transaction, long metricId, long fromStep)
    {
        using var delete = Command(transaction, "DELETE FROM point_chunks WHERE metric_id = $m AND first_step >= $s");
        delete.Parameters.AddWithValue("$m", metricId);
        delete.Parameters.AddWithValue("$s", fromStep);
        delete.ExecuteNonQuery();
    }

    protected override long? Straddling(DbTransaction transaction, long metricId, long fromStep)
    {
        using var find = Command(transaction, "SELECT rowid FROM point_chunks WHERE metric_id = $m AND first_step < $s AND last_step >= $s");
        find.Parameters.AddWithValue("$m", metricId);
        find.Parameters.AddWithValue("$s", fromStep);
        return find.ExecuteScalar() as long?;
    }

    protected override void ReadSummaries(DbTransaction transaction, long metricId, StepRange steps, List<ChunkHead> heads, List<ChunkSummary> summaries)
    {
        // From the covering index (chunks never overlap, so last_step orders them as first_step does).
        using var command = Command(transaction, """
            SELECT rowid, first_step, last_step, count, summary FROM point_chunks INDEXED BY point_chunks_summaries
            WHERE metric_id = $m AND last_step >= $s AND first_step <= $t ORDER BY last_step
            """);
        command.Parameters.AddWithValue("$m", metricId);
        command.Parameters.AddWithValue("$s", steps.From);
        command.Parameters.AddWithValue("$t", steps.To);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            heads.Add(new ChunkHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3)));
            summaries.Add(ChunkSummary.FromBytes((byte[])reader.GetValue(4)));
        }
    }

    /// <summary>
    /// On the connection's handle, decoded straight from SQLite's buffer: the rules read every chunk of a metric this way
    /// when they catch up, and a command per chunk, with its lookup of the rowid parameter by name, took longer (4.8M
    /// points: 71–94 ms against 56–59).
    /// </summary>
    protected override IEnumerable<StoredPoint[]> ChunksFrom(DbTransaction transaction, long metricId, long fromStep, StoredPoint[] scratch)
    {
        using var select = new SqliteStatement(Connection(transaction), """
            SELECT payload FROM point_chunks INDEXED BY point_chunks_summaries WHERE metric_id = ?1 AND last_step >= ?2 ORDER BY last_step
            """);
        select.Bind(1, metricId);
        select.Bind(2, fromStep);
        while (select.Step())
            yield return Decode(select, scratch);
    }

    private static StoredPoint[] Decode(SqliteStatement select, StoredPoint[] scratch) => PointChunkCodec.Decode(select.Blob(0), scratch);

    protected override ChunkInserter Inserter(DbTransaction transaction) => new PreparedInsert(Command(transaction, """
        INSERT INTO point_chunks (metric_id, first_step, last_step, count, nan_count, min, max, first_value, last_value, summary, payload)
        VALUES ($m, $f, $l, $c, $n, $min, $max, $fv, $lv, $summary, $payload)
        """));

    protected override PayloadReader Payloads(DbTransaction transaction, long metricId) =>
        new PreparedPayload(Command(transaction, "SELECT payload FROM point_chunks WHERE rowid = $r"));

    protected override async Task<(DbConnection Connection, DbTransaction Transaction)> BeginReadAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        return (connection, connection.BeginTransaction(deferred: true));
    }

    private static SqliteConnection Connection(DbTransaction transaction) => ((SqliteTransaction)transaction).Connection!;

    private static SqliteCommand Command(DbTransaction transaction, string sql)
    {
        var command = Connection(transaction).CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>One prepared statement for every chunk of the append.</summary>
    private sealed class PreparedInsert : ChunkInserter
    {
        private readonly SqliteCommand _command;

        public PreparedInsert(SqliteCommand command)
        {
            _command = command;
            foreach (var name in (string[])["$m", "$f", "$l", "$c", "$n", "$min", "$max", "$fv", "$lv", "$summary", "$payload"])
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        public override void Insert(long metricId, ReadOnlySpan<StoredPoint> points, ChunkSummary summary, byte[] payload)
        {
            var parameters = _command.Parameters;
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
            parameters[10].Value = payload;
            _command.ExecuteNonQuery();
        }

        public override void Dispose() => _command.Dispose();
    }

    private sealed class PreparedPayload : PayloadReader
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _rowId;

        public PreparedPayload(SqliteCommand command)
        {
            _command = command;
            _rowId = command.Parameters.Add("$r", SqliteType.Integer);
        }

        public override byte[] Read(long chunkId)
        {
            _rowId.Value = chunkId;
            return (byte[])_command.ExecuteScalar()!;
        }

        public override void Dispose() => _command.Dispose();
    }
}
