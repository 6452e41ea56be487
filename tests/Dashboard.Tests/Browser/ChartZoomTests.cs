using System.Globalization;
using System.Text;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class ChartZoomTests(BrowserFixture browser)
{
    private const int Steps = 2_000_000;
    private const int Spike = 1_234_567;

    [Fact]
    public async Task Zooming_into_one_percent_of_two_million_points_draws_the_detail_and_the_spike_and_a_double_click_goes_back()
    {
        await using var host = await TestHost.StartAsync();
        var lines = new StringBuilder(Steps * 32);
        for (var step = 1; step <= Steps; step++)
            lines.Append("Iter ").Append(step).Append('/').Append(Steps).Append(" | loss: ")
                .Append(step == Spike ? "1000.0" : (1 + step % 7 * 0.01).ToString("0.00", CultureInfo.InvariantCulture)).Append('\n');
        var (_, run) = await host.WriteRunAsync("zoom", "long.log", lines.ToString(), untilStep: Steps, timeoutMs: 60_000);

        var page = await AlertBannerTests.OpenAsync(browser, host, $"/runs/{run.Id}");
        const string plot = ".chart[data-keys='[\"loss\"]'] .js-plotly-plot";
        var chart = page.Locator(".chart[data-keys='[\"loss\"]']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-loaded", "true");
        var whole = await TracePointsAsync(page, plot, 0, long.MaxValue);
        Assert.InRange(whole.Count, 1000, 2000);
        // Downsampled with min and max kept: the spike is drawn, but a 1% window holds ~20 of the points.
        Assert.Contains(1000.0, whole.Values);
        Assert.InRange((await TracePointsAsync(page, plot, Spike - 10_000, Spike + 10_000)).Count, 1, 40);

        // What Plotly sends when a user drags a zoom box along the step axis.
        await page.EvaluateAsync($"([from, to]) => Plotly.relayout(document.querySelector(`{plot}`), {{ 'xaxis.range[0]': from, 'xaxis.range[1]': to }})", new[] { Spike - 10_000, Spike + 10_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-view", $"{Spike - 10_000}-{Spike + 10_000}");
        await page.WaitForFunctionAsync($"() => document.querySelector(`{plot}`).data[0].x.length > 1000");
        var zoomed = await TracePointsAsync(page, plot, long.MinValue, long.MaxValue);
        Assert.InRange(zoomed.Count, 1000, 2000);
        Assert.All(zoomed.Steps, s => Assert.InRange(s, Spike - 10_000, Spike + 10_000));
        Assert.Contains(1000.0, zoomed.Values);
        // On screen: the y axis reaches the spike.
        Assert.True(await page.EvaluateAsync<double>($"() => document.querySelector(`{plot}`)._fullLayout.yaxis.range[1]") >= 1000);

        // Plotly counts two clicks as a double click only when they come within 300 ms; a loaded CI machine (load
        // average 25) delivered them further apart once, and the view stayed zoomed: a missed one is tried again.
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator($"{plot} .nsewdrag").First.DblClickAsync();
            try
            {
                await Assertions.Expect(chart).ToHaveAttributeAsync("data-view", "all", new() { Timeout = 15_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
        await page.WaitForFunctionAsync($"() => document.querySelector(`{plot}`).data[0].x.at(-1) === {Steps}");
        var again = await TracePointsAsync(page, plot, long.MinValue, long.MaxValue);
        Assert.Equal(whole.Count, again.Count);
        Assert.Equal((1d, (double)Steps), (again.Steps.Min(), again.Steps.Max()));
    }

    private static async Task<(int Count, double[] Steps, double[] Values)> TracePointsAsync(IPage page, string plot, long from, long to)
    {
        var xy = await page.EvaluateAsync<double[][]>(
            $"([from, to]) => {{ const t = document.querySelector(`{plot}`).data[0]; const i = t.x.map((x, j) => j).filter(j => t.x[j] >= from && t.x[j] <= to); return [i.map(j => t.x[j]), i.map(j => t.y[j])]; }}",
            new[] { (double)from, (double)to });
        return (xy[0].Length, xy[0], xy[1]);
    }
}
