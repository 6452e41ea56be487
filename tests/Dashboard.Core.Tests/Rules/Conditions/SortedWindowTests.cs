using Dashboard.Core.Rules.Conditions;

namespace Dashboard.Core.Tests.Rules.Conditions;

public sealed class SortedWindowTests
{
    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    [InlineData(1)]
    public void The_median_is_that_of_the_last_values_at_every_point(int size)
    {
        var random = new Random(size);
        var window = new SortedWindow(size);
        var seen = new List<double>();
        for (var i = 0; i < 2_000; i++)
        {
            // Repeats and zeros on purpose: a switched-off loss is all zeros, and equal values must leave one at a time;
            // -0.0 sorts equal to 0.0.
            var value = random.Next(5) switch { 0 => 0.0, 1 => -0.0, 2 => Math.Round(random.NextDouble(), 1), _ => random.NextDouble() * 100 - 50 };
            window.Add(value);
            seen.Add(value);
            var last = seen.TakeLast(size).Order().ToArray();
            var expected = last.Length % 2 == 1 ? last[last.Length / 2] : (last[last.Length / 2 - 1] + last[last.Length / 2]) / 2;
            Assert.Equal(Math.Min(seen.Count, size), window.Count);
            Assert.Equal(expected, window.Median);
        }
    }

    [Fact]
    public void A_clone_goes_on_apart_from_its_original()
    {
        var window = new SortedWindow(5);
        foreach (var value in (double[])[3, 1, 4, 1, 5, 9])
            window.Add(value);
        var copy = window.Clone();

        foreach (var value in (double[])[2, 6, 5])
            window.Add(value);
        foreach (var value in (double[])[-8, -9, -7])
            copy.Add(value);

        // The last five: 5, 9, 2, 6, 5.
        Assert.Equal(5, window.Median);
        // The last five: 5, 9, -8, -9, -7.
        Assert.Equal(-7, copy.Median);
    }
}
