using System.Data;
using System.Data.Common;
using Dashboard.Core.Records;
using Dashboard.Core.Storage;
using Dashboard.Storage.Points;
using Npgsql;
using NpgsqlTypes;

namespace Dashboard.Storage.Postgres;

/// <summary>
/// The chunked points in PostgreSQL: a chunk is found by its metric and first step (its primary key),
/// and chunks are written with binary COPY, one stream per append however many chunks it holds.
/// </summary>
public sealed class PostgresPointStore(PostgresDatabase database) : ChunkedPointStore
{
    public override async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // The payload is compressed already: EXTERNAL spares PostgreSQL a second, useless compression try.
        // The summaries index covers a read's first pass, as SQLite's does.
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS point_chunks (
                metric_id bigint NOT NULL,
                first_step bigint NOT NULL,
                last_step bigint NOT NULL,
                count integer NOT NULL,
                nan_count integer NOT NULL,
                min double precision,
                max double precision,
                first_value double precision,
                last_value double precision,
                summary bytea NOT NULL,
                payload bytea NOT NULL,
                PRIMARY KEY (metric_id, first_step)
            );
            ALTER TABLE point_chunks ALTER COLUMN payload SET STORAGE EXTERNAL;
            CREATE INDEX IF NOT EXISTS point_chunks_summaries ON point_chunks (metric_id, last_step) INCLUDE (first_step, count, summary);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override ChunkHead? LastChunk(DbTransaction transaction, long metricId)
    {
        using var command = Command(transaction, "SELECT first_step, first_step, last_step, count FROM point_chunks WHERE metric_id = @m ORDER BY first_step DESC LIMIT 1");
        command.Parameters.AddWithValue("m", metricId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ChunkHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3)) : null;
    }

    protected override void DeleteChunk(DbTransaction transaction, long metricId, long chunkId)
    {
        using var command = Command(transaction, "DELETE FROM point_chunks WHERE metric_id = @m AND first_step = @f");
        command.Parameters.AddWithValue("m", metricId);
        command.Parameters.AddWithValue("f", chunkId);
        command.ExecuteNonQuery();
    }

    protected override void DeleteChunksFrom(DbTransaction transaction, long metricId, long fromStep)
    {
        using var command = Command(transaction, "DELETE FROM point_chunks WHERE metric_id = @m AND first_step >= @s");
        command.Parameters.AddWithValue("m", metricId);
        command.Parameters.AddWithValue("s", fromStep);
        command.ExecuteNonQuery();
    }

    protected override long? Straddling(DbTransaction transaction, long metricId, long fromStep)
    {
        using var command = Command(transaction, "SELECT first_step FROM point_chunks WHERE metric_id = @m AND first_step < @s AND last_step >= @s");
        command.Parameters.AddWithValue("m", metricId);
        command.Parameters.AddWithValue("s", fromStep);
        return command.ExecuteScalar() as long?;
    }

    protected override void ReadSummaries(DbTransaction transaction, long metricId, StepRange steps, List<ChunkHead> heads, List<ChunkSummary> summaries)
    {
        using var command = Command(transaction, "SELECT first_step, last_step, count, summary FROM point_chunks WHERE metric_id = @m AND last_step >= @s AND first_step <= @t ORDER BY last_step");
        command.Parameters.AddWithValue("m", metricId);
        command.Parameters.AddWithValue("s", steps.From);
        command.Parameters.AddWithValue("t", steps.To);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var first = reader.GetInt64(0);
            heads.Add(new ChunkHead(first, first, reader.GetInt64(1), reader.GetInt32(2)));
            summaries.Add(ChunkSummary.FromBytes(reader.GetFieldValue<byte[]>(3)));
        }
    }

    protected override IEnumerable<StoredPoint[]> ChunksFrom(DbTransaction transaction, long metricId, long fromStep, StoredPoint[] scratch)
    {
        using var command = Command(transaction, "SELECT payload FROM point_chunks WHERE metric_id = @m AND last_step >= @s ORDER BY last_step");
        command.Parameters.AddWithValue("m", metricId);
        command.Parameters.AddWithValue("s", fromStep);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            yield return PointChunkCodec.Decode(reader.GetFieldValue<byte[]>(0), scratch);
    }

    protected override ChunkInserter Inserter(DbTransaction transaction) => new Copy((NpgsqlConnection)transaction.Connection!);

    protected override PayloadReader Payloads(DbTransaction transaction, long metricId) =>
        new PrefetchingPayload(Command(transaction, $"SELECT first_step, payload FROM point_chunks WHERE metric_id = @m AND first_step >= @f ORDER BY first_step LIMIT {PrefetchingPayload.Ahead}"), metricId);

    /// <summary>Repeatable read: the summaries and the payloads read after them come from one snapshot.</summary>
    protected override async Task<(DbConnection Connection, DbTransaction Transaction)> BeginReadAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return (connection, await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static NpgsqlCommand Command(DbTransaction transaction, string sql) =>
        new(sql, (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);

    /// <summary>
    /// Starts the COPY at the first row, so an append that ends up inserting nothing sends nothing.
    /// Disposed without <see cref="Complete"/> (an error), the COPY is cancelled and its rows are not written.
    /// </summary>
    private sealed class Copy(NpgsqlConnection connection) : ChunkInserter
    {
        private NpgsqlBinaryImporter? _importer;

        public override void Insert(long metricId, ReadOnlySpan<StoredPoint> points, ChunkSummary summary, byte[] payload)
        {
            var importer = _importer ??= connection.BeginBinaryImport(
                "COPY point_chunks (metric_id, first_step, last_step, count, nan_count, min, max, first_value, last_value, summary, payload) FROM STDIN (FORMAT BINARY)");
            importer.StartRow();
            importer.Write(metricId, NpgsqlDbType.Bigint);
            importer.Write(points[0].Step, NpgsqlDbType.Bigint);
            importer.Write(points[^1].Step, NpgsqlDbType.Bigint);
            importer.Write(points.Length, NpgsqlDbType.Integer);
            importer.Write(summary.NaNCount, NpgsqlDbType.Integer);
            WriteReal(importer, summary.Min?.Point.Value);
            WriteReal(importer, summary.Max?.Point.Value);
            WriteReal(importer, points[0].Value);
            WriteReal(importer, points[^1].Value);
            importer.Write(summary.ToBytes(), NpgsqlDbType.Bytea);
            importer.Write(payload, NpgsqlDbType.Bytea);
        }

        private static void WriteReal(NpgsqlBinaryImporter importer, double? value)
        {
            if (Real(value) is double v)
                importer.Write(v, NpgsqlDbType.Double);
            else
                importer.WriteNull();
        }

        public override void Complete() => _importer?.Complete();

        public override void Dispose() => _importer?.Dispose();
    }

    /// <summary>
    /// Reads run in step order, and a downsampled read of a long metric decodes most of its chunks:
    /// one round trip per chunk cost more than the decoding. So a miss fetches the next chunks too.
    /// </summary>
    private sealed class PrefetchingPayload : PayloadReader
    {
        public const int Ahead = 64;
        private readonly NpgsqlCommand _command;
        private readonly NpgsqlParameter<long> _first;
        private readonly Dictionary<long, byte[]> _fetched = [];

        public PrefetchingPayload(NpgsqlCommand command, long metricId)
        {
            _command = command;
            command.Parameters.Add(new NpgsqlParameter<long>("m", metricId));
            _first = new NpgsqlParameter<long> { ParameterName = "f" };
            command.Parameters.Add(_first);
        }

        public override byte[] Read(long chunkId)
        {
            if (_fetched.Remove(chunkId, out var payload))
                return payload;
            _fetched.Clear();
            _first.TypedValue = chunkId;
            using (var reader = _command.ExecuteReader())
            {
                while (reader.Read())
                    _fetched[reader.GetInt64(0)] = reader.GetFieldValue<byte[]>(1);
            }
            return _fetched.Remove(chunkId, out payload) ? payload : throw new InvalidOperationException($"Chunk {chunkId} of the metric is gone.");
        }

        public override void Dispose() => _command.Dispose();
    }
}
