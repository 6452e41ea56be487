using Dashboard.Components.Model;
using Dashboard.Core.Records;

namespace Dashboard.Tests.Components;

public sealed class ChartXTests
{
    private const long Start = 1_796_522_690_000;

    // A point a minute from step 100 to step 500, as a downsampled chart holds them.
    private static readonly StoredPoint[] Held = [.. Enumerable.Range(1, 5).Select(i => new StoredPoint(i * 100, i, Start + i * 60_000))];

    [Fact]
    public void Points_go_to_their_step_their_utc_time_or_the_hours_since_the_run_started()
    {
        var point = new StoredPoint(300, 1.5, Start + 5_400_000);
        Assert.Equal(300L, ChartX.Steps.Of(point));
        Assert.Equal("2026-12-06 03:34:50.000", new ChartX(ChartAxis.Wall, Start).Of(point));
        Assert.Equal(1.5, new ChartX(ChartAxis.Relative, Start).Of(point));
    }

    [Fact]
    public void A_zoom_on_a_time_axis_reads_the_steps_of_the_points_in_it_and_one_more_on_each_side()
    {
        var wall = new ChartX(ChartAxis.Wall, Start);
        Assert.Equal(new StepRange(200, 400), wall.StepsOf(new XRange(Start + 150_000, Start + 200_000), Held));
        // Between two points: the two around it.
        Assert.Equal(new StepRange(200, 300), wall.StepsOf(new XRange(Start + 130_000, Start + 150_000), Held));
        // Past the ends: from the run's start, or on to its end.
        Assert.Equal(new StepRange(long.MinValue, 200), wall.StepsOf(new XRange(Start, Start + 70_000), Held));
        Assert.Equal(new StepRange(400, long.MaxValue), wall.StepsOf(new XRange(Start + 290_000, Start + 900_000), Held));
        Assert.Equal(new StepRange(500, long.MaxValue), wall.StepsOf(new XRange(Start + 400_000, Start + 900_000), Held));
        Assert.Equal(StepRange.All, wall.StepsOf(XRange.All, Held));
        // Relative hours: two to three minutes after the start.
        Assert.Equal(new StepRange(100, 400), new ChartX(ChartAxis.Relative, Start).StepsOf(new XRange(2 / 60.0, 3 / 60.0), Held));
    }

    [Fact]
    public void A_step_between_points_is_drawn_at_the_time_between_them_and_off_their_ends_only_when_clamped()
    {
        var relative = new ChartX(ChartAxis.Relative, Start);
        Assert.Equal(2.5 / 60, (double)relative.OfStep(250, Held, clamp: false)!, 12);
        Assert.Equal(3 / 60.0, (double)relative.OfStep(300, Held, clamp: false)!, 12);
        Assert.Null(relative.OfStep(50, Held, clamp: false));
        Assert.Null(relative.OfStep(600, Held, clamp: false));
        Assert.Equal(1 / 60.0, (double)relative.OfStep(0, Held, clamp: true)!, 12);
        Assert.Equal(5 / 60.0, (double)relative.OfStep(long.MaxValue, Held, clamp: true)!, 12);
        Assert.Null(relative.OfStep(300, [], clamp: true));
        Assert.Equal(600L, ChartX.Steps.OfStep(600, [], clamp: false));
    }

    [Theory]
    [InlineData("wall", ChartAxis.Wall)]
    [InlineData("Relative", ChartAxis.Relative)]
    [InlineData("step", ChartAxis.Step)]
    [InlineData("2", ChartAxis.Step)]
    [InlineData("<b>", ChartAxis.Step)]
    [InlineData(null, ChartAxis.Step)]
    public void The_x_axis_is_read_from_the_address_and_anything_else_is_steps(string? text, ChartAxis axis)
    {
        var display = ChartDisplay.Parse(null, null, text);
        Assert.Equal(axis, display.Axis);
        Assert.Equal(axis == ChartAxis.Step ? null : axis.ToString().ToLowerInvariant(), display.ToQuery().X);
    }
}
