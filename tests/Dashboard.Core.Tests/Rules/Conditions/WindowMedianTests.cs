using Dashboard.Core.Rules.Conditions;

namespace Dashboard.Core.Tests.Rules.Conditions;

public sealed class WindowMedianTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(7)]
    [InlineData(2)]
    [InlineData(1)]
    public void At_least_answers_as_the_sorted_median_does(int size)
    {
        var random = new Random(size);
        const double threshold = 4;
        for (var i = 0; i < 5_000; i++)
        {
            // Counts around the threshold, the threshold itself, and pairs whose mean lands on it.
            var values = Enumerable.Range(0, size).Select(_ => random.Next(4) switch
            {
                0 => threshold,
                1 => (double)random.Next(0, 9),
                2 => threshold + (random.NextDouble() - 0.5) * 1e-9,
                _ => random.NextDouble() * 8,
            }).ToArray();
            var sorted = values.Order().ToArray();
            var median = size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2;
            Assert.True(median >= threshold == WindowMedian.AtLeast(values, threshold), $"[{string.Join(", ", values)}]: median {median}");
        }
    }

    [Fact]
    public void At_least_decides_an_even_window_split_at_the_threshold_by_its_middle_pair()
    {
        Assert.True(WindowMedian.AtLeast([1, 2, 6, 9], 4));
        Assert.False(WindowMedian.AtLeast([1, 2, 5.9, 9], 4));
        Assert.True(WindowMedian.AtLeast([0, 3, 5, 9], 4));
    }
}
