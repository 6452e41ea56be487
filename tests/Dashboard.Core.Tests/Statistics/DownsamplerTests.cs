using Dashboard.Core.Records;
using Dashboard.Core.Statistics;

namespace Dashboard.Core.Tests.Statistics;

public sealed class DownsamplerTests
{
    private static StoredPoint[] Series(int count, Func<int, double> value) =>
        [.. Enumerable.Range(0, count).Select(i => new StoredPoint(i * 10L, value(i), 1_000 + i))];

    [Fact]
    public void Series_that_fits_is_returned_as_is()
    {
        var points = Series(200, i => i);

        Assert.Same(points, Downsampler.Reduce(points, 200));
    }

    [Fact]
    public void Single_spike_and_a_nan_in_100k_points_stay_visible_when_reduced_to_200()
    {
        var points = Series(100_000, i => i switch
        {
            61_234 => 1e6,
            77_777 => double.NaN,
            _ => Math.Sin(i / 100.0),
        });

        var reduced = Downsampler.Reduce(points, 200);

        Assert.InRange(reduced.Count, 2, 200);
        Assert.Contains(points[61_234], reduced);
        Assert.Single(reduced, p => double.IsNaN(p.Value));
        Assert.Equal(points[77_777].Step, reduced.Single(p => double.IsNaN(p.Value)).Step);
        Assert.Equal(points[0], reduced[0]);
        Assert.Equal(points[^1], reduced[^1]);
        Assert.Equal(reduced.OrderBy(p => p.Step), reduced);
        Assert.Equal(reduced.Count, reduced.Select(p => p.Step).Distinct().Count());
    }

    [Fact]
    public void Infinity_counts_as_a_spike()
    {
        var points = Series(10_000, i => i switch
        {
            1_234 => double.PositiveInfinity,
            8_765 => double.NegativeInfinity,
            _ => 1,
        });

        var reduced = Downsampler.Reduce(points, 20);

        Assert.Contains(points[1_234], reduced);
        Assert.Contains(points[8_765], reduced);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(199)]
    [InlineData(200)]
    [InlineData(1_001)]
    public void Output_never_exceeds_max_points(int maxPoints)
    {
        var random = new Random(maxPoints);
        foreach (var count in new[] { maxPoints + 1, maxPoints * 3, 12_345 })
        {
            var points = Series(count, _ => random.Next(10) == 0 ? double.NaN : random.NextDouble());

            var reduced = Downsampler.Reduce(points, maxPoints);

            Assert.InRange(reduced.Count, 1, maxPoints);
            Assert.Equal(reduced.OrderBy(p => p.Step), reduced);
        }
    }

    [Fact]
    public void Single_point_budget_keeps_the_nan_first()
    {
        var points = Series(100, i => i == 50 ? double.NaN : i);

        Assert.True(double.IsNaN(Assert.Single(Downsampler.Reduce(points, 1)).Value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Max_points_below_one_is_rejected(int maxPoints)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Downsampler.Reduce(Series(3, i => i), maxPoints));
    }
}
