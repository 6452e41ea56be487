using System.Data.Common;
using Dashboard.Core.Records;
using Dashboard.Core.Statistics;
using Dashboard.Storage;
using Dashboard.Storage.Points;

namespace Dashboard.Tests.Storage;

/// <summary>
/// The chunked point store on its own, against a real database: the same contract for every engine
/// (<see cref="SqlitePointStoreTests"/>, <see cref="PostgresPointStoreTests"/>).
/// </summary>
public abstract class PointStoreContract : IAsyncLifetime
{
    private const long Metric = 1;
    private IStoreDatabase _database = null!;
    private ChunkedPointStore _store = null!;

    /// <summary>An empty database of the engine, and the point store on it.</summary>
    protected abstract Task<(IStoreDatabase Database, ChunkedPointStore Store)> CreateAsync();

    public async Task InitializeAsync()
    {
        (_database, _store) = await CreateAsync();
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await _store.EnsureSchemaAsync(connection, CancellationToken.None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static StoredPoint[] Series(int count, long firstStep = 10, int stepBy = 10, Func<int, double>? value = null) =>
        [.. Enumerable.Range(0, count).Select(i => new StoredPoint(firstStep + (long)i * stepBy, value?.Invoke(i) ?? Math.Round(Math.Sin(i / 50.0), 3), 1_755_000_000_000 + i))];

    private async Task InTransactionAsync(Func<DbTransaction, Task> work)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await work(transaction);
        await transaction.CommitAsync();
    }

    private Task AppendAsync(IReadOnlyList<StoredPoint> points) =>
        InTransactionAsync(t => _store.AppendAsync(t, Metric, points, CancellationToken.None));

    private async Task<List<(long First, long Last, long Count)>> ChunksAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT first_step, last_step, count FROM point_chunks WHERE metric_id = 1 ORDER BY first_step";
        await using var reader = await command.ExecuteReaderAsync();
        var chunks = new List<(long, long, long)>();
        while (await reader.ReadAsync())
            chunks.Add((reader.GetInt64(0), reader.GetInt64(1), Convert.ToInt64(reader.GetValue(2))));
        return chunks;
    }

    private Task<IReadOnlyList<StoredPoint>> ReadAsync(long fromStep = 0, int? maxPoints = null, long toStep = long.MaxValue) =>
        _store.ReadAsync(Metric, new StepRange(fromStep, toStep), maxPoints, CancellationToken.None);

    [Fact]
    public async Task Live_sized_appends_fill_the_open_chunk_then_start_the_next()
    {
        var points = Series(2500);
        foreach (var few in points.Chunk(7))
            await AppendAsync(few);

        Assert.Equal(points, await ReadAsync());
        Assert.Equal([1024L, 1024L, 452L], (await ChunksAsync()).Select(c => c.Count));
    }

    [Fact]
    public async Task One_big_append_is_cut_into_full_chunks()
    {
        var points = Series(5000);
        await AppendAsync(points[..10]);
        await AppendAsync(points[10..]);

        Assert.Equal(points, await ReadAsync());
        Assert.Equal([1024L, 1024L, 1024L, 1024L, 904L], (await ChunksAsync()).Select(c => c.Count));
    }

    [Fact]
    public async Task Read_into_a_buffer_replaces_what_it_held_with_every_point()
    {
        var points = Series(2500);
        await AppendAsync(points);
        var buffer = Series(4000, firstStep: 1_000_000).ToList();

        await _store.ReadAllAsync(Metric, buffer, CancellationToken.None);
        Assert.Equal(points, buffer);

        await _store.ReadAllAsync(Metric + 1, buffer, CancellationToken.None);
        Assert.Empty(buffer);
    }

    [Fact]
    public async Task Resume_drops_later_steps_across_chunk_boundaries_and_appends_after_them()
    {
        var points = Series(3000);
        await AppendAsync(points);
        var resumeAt = points[1500].Step;

        await InTransactionAsync(t => _store.DeleteFromAsync(t, Metric, resumeAt, CancellationToken.None));
        Assert.Equal(points[..1500], await ReadAsync());
        Assert.Equal([1024L, 476L], (await ChunksAsync()).Select(c => c.Count));

        var resumed = Series(800, firstStep: resumeAt, value: i => 100 + i);
        await AppendAsync(resumed);
        Assert.Equal([.. points[..1500], .. resumed], await ReadAsync());
        Assert.Equal([1024L, 1024L, 252L], (await ChunksAsync()).Select(c => c.Count));
    }

    [Theory]
    [InlineData(long.MinValue, 0)]
    [InlineData(10, 0)]
    [InlineData(10_245, 1024)]
    [InlineData(20_480, 1024)]
    [InlineData(20_490, 2048)]
    [InlineData(30_000, 2048)]
    [InlineData(30_001, 3000)]
    public async Task Chunks_from_a_step_start_at_the_chunk_that_holds_it_and_go_on_in_order(long fromStep, int firstIndex)
    {
        // Three chunks: steps 10…10,240, 10,250…20,480, 20,490…30,000.
        var points = Series(3000);
        await AppendAsync(points);

        var read = new List<StoredPoint>();
        await foreach (var chunk in _store.ReadChunksAsync(Metric, fromStep, CancellationToken.None))
        {
            Assert.InRange(chunk.Length, 1, ChunkedPointStore.ChunkSize);
            // Copied: a full chunk comes in one array used again for the next.
            read.AddRange(chunk);
        }

        Assert.Equal(points[firstIndex..], read);
    }

    [Fact]
    public async Task Appending_a_step_already_stored_replaces_it_and_everything_after()
    {
        var points = Series(2000);
        await AppendAsync(points);

        var again = Series(3, firstStep: points[1023].Step, value: _ => -1);
        await AppendAsync(again);

        Assert.Equal([.. points[..1023], .. again], await ReadAsync());
    }

    [Fact]
    public async Task Aggregate_matches_the_points_after_a_rewrite()
    {
        var points = Series(3000, value: i => i switch { 5 => double.NaN, 1700 => -7, 2900 => 50, _ => i % 100 });
        await AppendAsync(points);
        await InTransactionAsync(t => _store.DeleteFromAsync(t, Metric, points[2500].Step, CancellationToken.None));

        PointAggregate? aggregate = null;
        await InTransactionAsync(async t => aggregate = await _store.AggregateAsync(t, Metric, CancellationToken.None));

        Assert.Equal(2500, aggregate!.Count);
        Assert.Equal(new StepValue(points[0].Step, 0), aggregate.First);
        Assert.Equal(new StepValue(points[2499].Step, 99), aggregate.Last);
        Assert.Equal(new StepValue(points[1700].Step, -7), aggregate.Min);
        Assert.Equal(new StepValue(points[99].Step, 99), aggregate.Max);
    }

    [Theory]
    [InlineData(200_000, 0, long.MaxValue, 2000)]
    [InlineData(200_000, 1_234_567, long.MaxValue, 2000)]
    [InlineData(50_000, 0, long.MaxValue, 7)]
    [InlineData(50_000, 333, long.MaxValue, 50_000)]
    [InlineData(3_000, 0, long.MaxValue, 2000)]
    // Zoomed: 1% in the middle, a range inside one chunk, one cut between two points, one ending in the first chunk.
    [InlineData(200_000, 1_000_005, 1_020_000, 2000)]
    [InlineData(200_000, 20_005, 20_095, 2000)]
    [InlineData(200_000, 15, 19, 2000)]
    [InlineData(200_000, long.MinValue, 5_000, 100)]
    public async Task Downsampled_read_equals_Downsampler_on_the_raw_points(int count, long fromStep, long toStep, int maxPoints)
    {
        var random = new Random(count);
        var points = Series(count, value: i => random.Next(500) switch
        {
            0 => double.NaN,
            1 => double.PositiveInfinity,
            2 => double.NegativeInfinity,
            3 => 1e9,
            _ => Math.Round(2 + random.NextDouble(), 3),
        });
        await AppendAsync(points);

        var raw = points.Where(p => p.Step >= fromStep && p.Step <= toStep).ToArray();
        Assert.Equal(raw, await ReadAsync(fromStep, toStep: toStep));
        Assert.Equal(Downsampler.Reduce(raw, maxPoints), await ReadAsync(fromStep, maxPoints, toStep));
    }

    [Fact]
    public async Task Special_values_come_back_bit_for_bit()
    {
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, 1.0 / 3, 2.470];
        var points = Series(values.Length, value: i => values[i]);
        await AppendAsync(points);

        var read = await ReadAsync();

        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), read.Select(p => BitConverter.DoubleToInt64Bits(p.Value)));
    }

    [Fact]
    public async Task Points_are_compact_on_disk()
    {
        await AppendAsync(Series(100_000));
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sum(length(payload) + length(summary)) FROM point_chunks";

        var bytes = Convert.ToInt64(await command.ExecuteScalarAsync());

        Assert.True(bytes < 100_000 * 4, $"{bytes / 100_000.0:0.00} bytes per point");
    }
}
