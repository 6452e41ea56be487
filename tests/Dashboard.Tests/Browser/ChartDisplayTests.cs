using Dashboard.Components.Model;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class ChartDisplayTests(BrowserFixture browser)
{
    private const string Plot = ".chart[data-keys='[\"Loss_CE\"]'] .js-plotly-plot";

    [Fact]
    public async Task A_shared_address_draws_smoothed_curves_over_faint_raw_ones_on_a_log_scale_and_live_points_extend_both()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "smooth.log", LogLines.Iter(100, 4.0) + LogLines.Iter(200, 1.0) + LogLines.Iter(300, 3.0), untilStep: 300);

        var page = await AlertBannerTests.OpenAsync(browser, host, $"/runs/{run.Id}?smoothing=0.6&log=true");
        await page.WaitForFunctionAsync($"() => document.querySelector(`{Plot}`)?.data?.some(t => t.name === 'Loss_CE (smoothed)')");
        var expected = new Smoothing(0.6).Next([4.0, 1.0, 3.0]).Select(v => (double)v!).ToArray();
        Assert.Equal(expected, await page.EvaluateAsync<double[]>($"() => document.querySelector(`{Plot}`).data.find(t => t.name === 'Loss_CE (smoothed)').y"));
        Assert.Equal(0.25, await page.EvaluateAsync<double>($"() => document.querySelector(`{Plot}`).data.find(t => t.name === 'Loss_CE').opacity"));
        await page.WaitForFunctionAsync($"() => document.querySelector(`{Plot}`).layout.yaxis.type === 'log'");
        await Assertions.Expect(page.Locator("[data-role='smoothing-value']")).ToHaveTextAsync("0.60");

        // The average carries on over a live point.
        await TestHost.AppendAsync(log, LogLines.Iter(400, 2.0));
        var four = new Smoothing(0.6).Next([4.0, 1.0, 3.0, 2.0]).Select(v => (double)v!).ToArray();
        await page.WaitForFunctionAsync($"() => document.querySelector(`{Plot}`).data.find(t => t.name === 'Loss_CE (smoothed)').y.length === 4");
        Assert.Equal(four, await page.EvaluateAsync<double[]>($"() => document.querySelector(`{Plot}`).data.find(t => t.name === 'Loss_CE (smoothed)').y"), new ToleranceComparer());

        // The switch goes back to a linear axis and takes log=true out of the address.
        await page.Locator("#chart-toolbar input[type=checkbox]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{run.Id}\\?smoothing=0.6$"));
        await page.WaitForFunctionAsync($"() => document.querySelector(`{Plot}`).layout.yaxis.type === 'linear'");
    }

    [Fact]
    public async Task The_x_axis_shows_wall_time_or_hours_since_the_start_and_a_zoom_on_it_reads_the_steps_in_view()
    {
        await using var host = await TestHost.StartAsync();
        // A point a minute from 2026-12-06 02:04:50 UTC, with the time the trainer logged it.
        const long start = 1_796_522_690;
        var lines = string.Concat(Enumerable.Range(0, 100).Select(i => $"{{\"step\": {(i + 1) * 10}, \"loss\": {1 + i % 3}, \"wall_time\": {start + i * 60}}}\n"));
        var (_, run) = await host.WriteRunAsync("timed", "metrics.jsonl", lines, untilStep: 1000);
        const string plot = ".chart[data-keys='[\"loss\"]'] .js-plotly-plot";

        var page = await AlertBannerTests.OpenAsync(browser, host, $"/runs/{run.Id}?x=wall");
        var chart = page.Locator(".chart[data-keys='[\"loss\"]']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-axis", "wall");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-loaded", "true");
        Assert.Equal("date", await page.EvaluateAsync<string>($"() => document.querySelector(`{plot}`)._fullLayout.xaxis.type"));
        Assert.Equal(["2026-12-06 02:04:50.000", "2026-12-06 03:43:50.000"],
            await page.EvaluateAsync<string[]>($"() => {{ const x = document.querySelector(`{plot}`).data[0].x; return [x[0], x.at(-1)]; }}"));

        await page.Locator("[data-role='x-axis'] [data-axis='relative']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{run.Id}\\?x=relative$"));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-axis", "relative");
        await page.WaitForFunctionAsync($"() => document.querySelector(`{plot}`)._fullLayout.xaxis.type === 'linear'");
        var hours = await page.EvaluateAsync<double[]>($"() => document.querySelector(`{plot}`).data[0].x");
        Assert.Equal(100, hours.Length);
        Assert.Equal(0, hours[0]);
        Assert.Equal(99 / 60.0, hours[^1], 9);

        // Half an hour to three quarters in: minutes 30 to 45, steps 310 to 460, read with one point more each side.
        await page.EvaluateAsync($"() => Plotly.relayout(document.querySelector(`{plot}`), {{ 'xaxis.range[0]': 0.5, 'xaxis.range[1]': 0.75 }})");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-view", "300-470");
        await page.WaitForFunctionAsync($"() => document.querySelector(`{plot}`).data[0].x.length === 18");
        var zoomed = await page.EvaluateAsync<double[]>($"() => document.querySelector(`{plot}`).data[0].x");
        Assert.Equal(29 / 60.0, zoomed[0], 9);
        Assert.Equal(46 / 60.0, zoomed[^1], 9);
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
