using System.Runtime.CompilerServices;
using System.Data.Common;
using System.Runtime.InteropServices;
using Dashboard.Core.Records;
using Dashboard.Core.Statistics;
using Dashboard.Core.Storage;

namespace Dashboard.Storage.Points;

/// <summary>
/// Points as per-metric chunks of up to <see cref="ChunkSize"/> consecutive points: one row per chunk
/// with its step range, count, NaN count, min/max/first/last (as columns, and with positions, steps
/// and wall times in <c>summary</c>) and the points compressed by <see cref="PointChunkCodec"/>.
/// A metric's last chunk is its open one: appends decode it, add to it and write it again, so a
/// commit of a handful of points costs one small blob, and points are queryable once committed.
/// The layout and the rules live here; each engine supplies the few statements that touch rows.
/// Row statements run synchronously: chunks are encoded straight from spans of the caller's points.
/// </summary>
public abstract class ChunkedPointStore : IPointStore
{
    public const int ChunkSize = 1024;

    /// <summary>A chunk row as the summaries index gives it; <see cref="Id"/> is whatever the engine finds a row by.</summary>
    protected readonly record struct ChunkHead(long Id, long FirstStep, long LastStep, int Count);

    /// <summary>Inserts chunk rows of one transaction; <see cref="Complete"/> makes them count.</summary>
    protected abstract class ChunkInserter : IDisposable
    {
        public abstract void Insert(long metricId, ReadOnlySpan<StoredPoint> points, ChunkSummary summary, byte[] payload);

        public virtual void Complete()
        {
        }

        public abstract void Dispose();
    }

    /// <summary>Reads the payloads of one metric's chunks, one statement reused for all of them.</summary>
    protected abstract class PayloadReader : IDisposable
    {
        public abstract byte[] Read(long chunkId);

        public abstract void Dispose();
    }

    public abstract Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    protected abstract ChunkHead? LastChunk(DbTransaction transaction, long metricId);

    protected abstract void DeleteChunk(DbTransaction transaction, long metricId, long chunkId);

    /// <summary>Drops the chunks that start at or after the step.</summary>
    protected abstract void DeleteChunksFrom(DbTransaction transaction, long metricId, long fromStep);

    /// <summary>The chunk that starts before the step and ends at or after it.</summary>
    protected abstract long? Straddling(DbTransaction transaction, long metricId, long fromStep);

    /// <summary>The chunks that hold any step of the range, in step order, with their summaries.</summary>
    protected abstract void ReadSummaries(DbTransaction transaction, long metricId, StepRange steps, List<ChunkHead> heads, List<ChunkSummary> summaries);

    /// <summary>
    /// The chunks that hold any step from <paramref name="fromStep"/> on, in step order, through one statement; each
    /// decoded into <paramref name="scratch"/> when full, and used before the next is asked for.
    /// </summary>
    protected abstract IEnumerable<StoredPoint[]> ChunksFrom(DbTransaction transaction, long metricId, long fromStep, StoredPoint[] scratch);

    protected abstract ChunkInserter Inserter(DbTransaction transaction);

    protected abstract PayloadReader Payloads(DbTransaction transaction, long metricId);

    /// <summary>A connection and a read transaction over which every statement sees the same snapshot.</summary>
    protected abstract Task<(DbConnection Connection, DbTransaction Transaction)> BeginReadAsync(CancellationToken cancellationToken);

    public Task AppendAsync(DbTransaction transaction, long metricId, IReadOnlyList<StoredPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
            return Task.CompletedTask;
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Step <= points[i - 1].Step)
                throw new ArgumentException($"Steps must ascend: {points[i].Step} follows {points[i - 1].Step}.", nameof(points));
        }
        var tail = LastChunk(transaction, metricId);
        if (tail is not null && points[0].Step <= tail.Value.LastStep)
        {
            DeleteFrom(transaction, metricId, points[0].Step);
            tail = LastChunk(transaction, metricId);
        }
        Write(transaction, metricId, tail, points);
        return Task.CompletedTask;
    }

    /// <summary>Fills the open chunk first, then writes full chunks straight from the caller's points.</summary>
    private void Write(DbTransaction transaction, long metricId, ChunkHead? tail, IReadOnlyList<StoredPoint> points)
    {
        ReadOnlySpan<StoredPoint> fresh = points switch
        {
            List<StoredPoint> list => CollectionsMarshal.AsSpan(list),
            StoredPoint[] array => array,
            _ => points.ToArray(),
        };
        StoredPoint[]? first = null;
        if (tail is { Count: < ChunkSize } open)
        {
            // Read and dropped before inserting: an engine may stream the inserts (COPY) and allow nothing else meanwhile.
            using (var payloads = Payloads(transaction, metricId))
            {
                var stored = PointChunkCodec.Decode(payloads.Read(open.Id));
                var take = Math.Min(ChunkSize - stored.Length, fresh.Length);
                first = new StoredPoint[stored.Length + take];
                stored.CopyTo(first, 0);
                fresh[..take].CopyTo(first.AsSpan(stored.Length));
                fresh = fresh[take..];
            }
            DeleteChunk(transaction, metricId, open.Id);
        }
        using var insert = Inserter(transaction);
        if (first is not null)
            Insert(insert, metricId, first);
        for (var start = 0; start < fresh.Length; start += ChunkSize)
            Insert(insert, metricId, fresh.Slice(start, Math.Min(ChunkSize, fresh.Length - start)));
        insert.Complete();
    }

    public Task DeleteFromAsync(DbTransaction transaction, long metricId, long fromStep, CancellationToken cancellationToken)
    {
        DeleteFrom(transaction, metricId, fromStep);
        return Task.CompletedTask;
    }

    private void DeleteFrom(DbTransaction transaction, long metricId, long fromStep)
    {
        DeleteChunksFrom(transaction, metricId, fromStep);
        // The chunk that holds fromStep keeps its points before it.
        if (Straddling(transaction, metricId, fromStep) is not { } chunk)
            return;
        StoredPoint[] points;
        using (var payloads = Payloads(transaction, metricId))
            points = PointChunkCodec.Decode(payloads.Read(chunk));
        var keep = Array.FindIndex(points, p => p.Step >= fromStep);
        DeleteChunk(transaction, metricId, chunk);
        using var insert = Inserter(transaction);
        Insert(insert, metricId, points.AsSpan(0, keep));
        insert.Complete();
    }

    public Task<PointAggregate> AggregateAsync(DbTransaction transaction, long metricId, CancellationToken cancellationToken)
    {
        var heads = new List<ChunkHead>();
        var summaries = new List<ChunkSummary>();
        ReadSummaries(transaction, metricId, StepRange.All, heads, summaries);
        long count = 0;
        StoredPoint? first = null, last = null, min = null, max = null;
        foreach (var summary in summaries)
        {
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

    public Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, StepRange steps, int? maxPoints, CancellationToken cancellationToken) =>
        ReadAsync(metricId, steps, maxPoints, null, cancellationToken);

    public Task ReadAllAsync(long metricId, List<StoredPoint> into, CancellationToken cancellationToken) =>
        ReadAsync(metricId, StepRange.All, null, into, cancellationToken);

    public async IAsyncEnumerable<StoredPoint[]> ReadChunksAsync(long metricId, long fromStep, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginReadAsync(cancellationToken);
        await using (connection)
        await using (transaction)
        {
            // One read transaction: every chunk comes from the same snapshot.
            foreach (var chunk in ChunksFrom(transaction, metricId, fromStep, new StoredPoint[ChunkSize]))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return chunk;
            }
        }
    }

    private async Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, StepRange steps, int? maxPoints, List<StoredPoint>? into, CancellationToken cancellationToken)
    {
        into?.Clear();
        var (connection, transaction) = await BeginReadAsync(cancellationToken);
        await using (connection)
        await using (transaction)
        {
            // The summaries first (a few hundred bytes a chunk); then only the payloads that must be decoded.
            var heads = new List<ChunkHead>();
            var summaries = new List<ChunkSummary>();
            ReadSummaries(transaction, metricId, steps, heads, summaries);
            if (heads.Count == 0)
                return into ?? [];

            using var payloads = Payloads(transaction, metricId);
            // Each decoded chunk is used (or copied) before the next is decoded, so full chunks share one array.
            var scratch = new StoredPoint[ChunkSize];
            StoredPoint[] Decode(int j) => PointChunkCodec.Decode(payloads.Read(heads[j].Id), scratch);

            // The first chunk may start before the range and the last end after it: those two are read
            // trimmed, with their summaries recomputed (a range between two points of a chunk empties it).
            var trimmed = new List<StoredPoint[]?>(new StoredPoint[]?[heads.Count]);
            foreach (var j in new[] { heads.Count - 1, 0 }.Distinct())
            {
                if (heads[j].FirstStep >= steps.From && heads[j].LastStep <= steps.To)
                    continue;
                // Copied out of the shared scratch array: it stays in use while other chunks are decoded.
                var part = Trim(Decode(j), steps);
                if (part.Length == 0)
                {
                    trimmed.RemoveAt(j);
                    heads.RemoveAt(j);
                    summaries.RemoveAt(j);
                    continue;
                }
                (trimmed[j], heads[j], summaries[j]) = (part, heads[j] with { Count = part.Length }, ChunkSummary.Of(part));
            }
            if (heads.Count == 0)
                return into ?? [];
            var total = heads.Sum(h => h.Count);
            StoredPoint[] Chunk(int j) => trimmed[j] ?? Decode(j);

            if (maxPoints is { } max)
                return ChunkedDownsampler.Reduce(summaries, Chunk, max);
            var all = into ?? new List<StoredPoint>(total);
            all.EnsureCapacity(total);
            for (var j = 0; j < heads.Count; j++)
                all.AddRange(Chunk(j));
            return all;
        }
    }

    private static StoredPoint[] Trim(StoredPoint[] points, StepRange steps) =>
        [.. points.Where(p => p.Step >= steps.From && p.Step <= steps.To)];

    private static void Insert(ChunkInserter insert, long metricId, ReadOnlySpan<StoredPoint> points)
    {
        if (!points.IsEmpty)
            insert.Insert(metricId, points, ChunkSummary.Of(points), PointChunkCodec.Encode(points));
    }

    /// <summary>For the human-readable columns only: NaN as NULL, as SQLite would store it anyway.</summary>
    protected static object Real(double? value) => value is { } v && !double.IsNaN(v) ? v : DBNull.Value;
}
