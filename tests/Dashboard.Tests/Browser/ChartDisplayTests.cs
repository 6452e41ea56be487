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
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{run.Id}\\?smoothing=0.6$"));
        await page.WaitForFunctionAsync($"() => document.querySelector(`{Plot}`).layout.yaxis.type === 'linear'");
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
