using System.Text.Json;
using Dashboard.Components.Model;
using Dashboard.Core.Records;

namespace Dashboard.Tests.Components;

public sealed class ChartZoomTests
{
    private static Dictionary<string, JsonElement> Event(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData("""{"xaxis.range[0]": 1224567.4, "xaxis.range[1]": 1244567.2, "yaxis.range[0]": 0, "yaxis.range[1]": 3}""", 1224567, 1244568)]
    [InlineData("""{"xaxis.range": [500, 100]}""", 100, 500)]
    // Plotly's zoom from the axis' very start: the interop's own XRange drops a 0 end, the raw event keeps it.
    [InlineData("""{"xaxis.range[0]": 0, "xaxis.range[1]": 20}""", 0, 20)]
    [InlineData("""{"xaxis.range[0]": "10", "xaxis.range[1]": "20.5"}""", 10, 21)]
    public void A_zoom_or_pan_views_the_steps_it_shows(string json, long from, long to) =>
        Assert.Equal(new StepRange(from, to), ChartX.Steps.StepsOf(ChartZoom.ViewOf(Event(json))!.Value, []));

    [Fact]
    public void A_double_click_views_the_whole_run()
    {
        Assert.Equal(XRange.All, ChartZoom.ViewOf(Event("""{"xaxis.autorange": true, "yaxis.autorange": true}""")));
        Assert.Equal(StepRange.All, ChartX.Steps.StepsOf(XRange.All, []));
    }

    [Fact]
    public void A_date_axis_ends_are_read_as_utc_milliseconds() =>
        Assert.Equal(new XRange(1_796_522_690_123.4, 1_796_522_700_000),
            ChartZoom.ViewOf(Event("""{"xaxis.range[0]": "2026-12-06 02:04:50.1234", "xaxis.range[1]": "2026-12-06 02:05"}""")));

    [Theory]
    [InlineData("""{"yaxis.range[0]": 0, "yaxis.range[1]": 3}""")]
    [InlineData("""{"shapes": [], "height": 260}""")]
    [InlineData("""{"xaxis.range[0]": "NaN", "xaxis.range[1]": 5}""")]
    [InlineData("""{"xaxis.range[0]": 5}""")]
    [InlineData("""{"xaxis.autorange": false}""")]
    public void Anything_else_leaves_the_view_alone(string json) =>
        Assert.Null(ChartZoom.ViewOf(Event(json)));

    [Fact]
    public void Ends_beyond_a_step_are_clamped() =>
        Assert.Equal(new StepRange(long.MinValue, long.MaxValue), ChartX.Steps.StepsOf(ChartZoom.ViewOf(Event("""{"xaxis.range": [-1e300, 1e300]}"""))!.Value, []));
}
