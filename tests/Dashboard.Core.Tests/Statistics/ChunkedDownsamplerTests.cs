using Dashboard.Core.Records;
using Dashboard.Core.Statistics;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Tests.Statistics;

public sealed class ChunkedDownsamplerTests
{
    private static (List<ChunkSummary> Summaries, List<StoredPoint[]> Chunks) Chunked(StoredPoint[] points, int chunkSize)
    {
        var chunks = points.Chunk(chunkSize).ToList();
        return ([.. chunks.Select(c => ChunkSummary.Of(c))], chunks);
    }

    private static StoredPoint[] Series(int count, Func<int, double> value) =>
        [.. Enumerable.Range(0, count).Select(i => new StoredPoint(i * 10L + 3, value(i), 1_000 + i))];

    [Theory]
    [InlineData(2_000_000, 1024, 2000)]
    [InlineData(100_000, 1024, 200)]
    [InlineData(10_000, 1024, 2000)]
    [InlineData(10_000, 7, 3)]
    [InlineData(5_000, 1024, 1)]
    [InlineData(5_000, 100, 4999)]
    [InlineData(999, 1024, 2000)]
    public void Gives_exactly_what_Downsampler_gives_on_the_raw_points(int count, int chunkSize, int maxPoints)
    {
        var random = new Random(count + chunkSize + maxPoints);
        var points = Series(count, i => random.Next(200) switch
        {
            0 => double.NaN,
            1 => double.PositiveInfinity,
            2 => double.NegativeInfinity,
            3 => 1e6,
            4 => -0.0,
            5 => 0.0,
            _ => Math.Round(Math.Sin(i / 500.0) + random.NextDouble() * 0.1, 2),
        });
        var (summaries, chunks) = Chunked(points, chunkSize);

        var expected = Downsampler.Reduce(points, maxPoints);
        var actual = ChunkedDownsampler.Reduce(summaries, j => chunks[j], maxPoints);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Chunks_inside_one_bucket_are_not_decoded()
    {
        var points = Series(2_000_000, i => i == 1_234_567 ? 1e9 : i == 777_777 ? double.NaN : Math.Sin(i / 1000.0));
        var (summaries, chunks) = Chunked(points, 1024);
        var decoded = 0;

        var reduced = ChunkedDownsampler.Reduce(summaries, j => { decoded++; return chunks[j]; }, 2000);

        Assert.Contains(reduced, p => p.Value == 1e9);
        Assert.Contains(reduced, p => double.IsNaN(p.Value));
        Assert.True(decoded <= 401, $"{decoded} of {chunks.Count} chunks decoded");
    }

    [Fact]
    public void Summary_survives_its_binary_form()
    {
        var summary = ChunkSummary.Of(Series(50, i => i == 7 ? double.NaN : i == 9 ? double.NegativeInfinity : i));

        Assert.Equal(summary, ChunkSummary.FromBytes(summary.ToBytes()));
        Assert.Equal(9, summary.Min!.Value.Index);
        Assert.Equal(7, summary.FirstNaN!.Value.Index);
        Assert.Equal(1, summary.NaNCount);
    }
}
