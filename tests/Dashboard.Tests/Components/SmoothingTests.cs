using Dashboard.Components.Model;

namespace Dashboard.Tests.Components;

public sealed class SmoothingTests
{
    [Fact]
    public void The_average_starts_at_the_first_value_and_follows_TensorBoards_debiased_EMA()
    {
        var smoothed = new Smoothing(0.6).Next([1.0, 2.0, 3.0]);

        Assert.Equal(1.0, (double)smoothed[0]!, 12);
        // (0.4·0.6·1 + 0.4·2) / (0.4·0.6 + 0.4) = 1.625; then the same a step further.
        Assert.Equal(1.625, (double)smoothed[1]!, 12);
        Assert.Equal((0.4 * 0.36 * 1 + 0.4 * 0.6 * 2 + 0.4 * 3) / (0.4 * 0.36 + 0.4 * 0.6 + 0.4), (double)smoothed[2]!, 12);
    }

    [Fact]
    public void A_gap_stays_a_gap_and_live_points_continue_the_same_average()
    {
        var whole = new Smoothing(0.9).Next([1.0, null, 5.0, 2.0]);
        var live = new Smoothing(0.9);
        var first = live.Next([1.0, null]);
        var rest = live.Next([5.0, 2.0]);

        Assert.Null(whole[1]);
        Assert.Equal(whole, [.. first, .. rest]);
    }

    [Theory]
    [InlineData("0.6", "true", 0.6, true)]
    [InlineData("5", "yes", 0.99, false)]
    [InlineData("NaN", null, 0, false)]
    [InlineData("-1", "false", 0, false)]
    [InlineData(null, null, 0, false)]
    public void Options_from_the_address_are_clamped_and_garbage_is_the_default(string? smoothing, string? log, double expected, bool logScale) =>
        Assert.Equal(new ChartDisplay(expected, logScale), ChartDisplay.Parse(smoothing, log));
}
