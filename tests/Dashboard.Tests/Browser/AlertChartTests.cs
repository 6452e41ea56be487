using Dashboard.Tests.Alerts;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class AlertChartTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_chart_of_the_alerts_metric_shows_its_markers_and_the_guides_band_and_a_new_alert_adds_a_marker_live()
    {
        await using var host = await TestHost.StartAsync();
        // Loss_D above 1.0 at 300 (a warning); all of it before iteration 1,000, where the guide expects 0.5–0.7.
        var (log, run) = await host.WriteRunAsync("gan", "chart.log", AlertLog.Lines(100, 300, s => s == 300 ? 1.5 : 0.6), untilStep: 300);
        await TestHost.EventuallyAsync(
            () => host.GetJsonAsync<List<Dashboard.Alerts.AlertView>>($"/api/runs/{run.Id}/alerts"),
            a => a.Any(x => x.RuleId == "loss-d-high"), "the warning");
        await TestHost.AppendAsync(log, AlertLog.Lines(400, 500, _ => 0.6));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 500);

        var page = await AlertBannerTests.OpenAsync(browser, host, $"/runs/{run.Id}");
        var chart = page.Locator(".chart[data-keys='[\"Loss_D\"]']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "5");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-alert-markers", "1");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-bands", "1");
        await DrawnAsync(page, ".chart[data-keys='[\"Loss_D\"]']", shapes: 2);

        var shapes = System.Text.Json.JsonSerializer.Deserialize<ShapeView[]>(
            await chart.EvaluateAsync<string>("el => JSON.stringify(el.querySelector('.js-plotly-plot').layout.shapes.map(s => ({ type: s.type, x0: s.x0, x1: s.x1, y0: s.y0, y1: s.y1, color: s.type === 'line' ? s.line.color : s.fillcolor })))"),
            TestHost.Json)!;
        var band = Assert.Single(shapes, s => s.Type == "rect");
        // The phase 0-1,000 is drawn up to the last step, so the step axis keeps to the data.
        Assert.Equal((0d, 500d, 0.5, 0.7), (band.X0, band.X1, band.Y0, band.Y1));
        var marker = Assert.Single(shapes, s => s.Type == "line");
        Assert.Equal((300d, "#fd7e14"), (marker.X0, marker.Color));
        var hover = await chart.EvaluateAsync<string[]>("el => { const plot = el.querySelector('.js-plotly-plot'); return plot.data[plot.data.length - 1].text; }");
        Assert.Equal(["Loss_D is above 1.0: training is unstable"], hover);
        // Other charts carry neither the marker nor Loss_D's band.
        await Assertions.Expect(page.Locator(".chart[data-keys='[\"Loss_FM\"]']")).ToHaveAttributeAsync("data-alert-markers", "0");
        await Assertions.Expect(page.Locator(".chart[data-keys='[\"Loss_FM\"]']")).ToHaveAttributeAsync("data-bands", "0");

        await TestHost.AppendAsync(log, AlertLog.Lines(600, 600, _ => double.NaN));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-alert-markers", "2");
        // The attribute is rendered before Plotly has the new shapes: wait for them, a red line beside the amber one.
        await page.WaitForFunctionAsync("() => document.querySelector(`.chart[data-keys='[\"Loss_D\"]'] .js-plotly-plot`).layout.shapes.filter(s => s.type === 'line').map(s => s.line.color).sort().join() === '#dc3545,#fd7e14'");
        // The band follows the run's last step.
        await page.WaitForFunctionAsync("() => document.querySelector(`.chart[data-keys='[\"Loss_D\"]'] .js-plotly-plot`).layout.shapes.some(s => s.type === 'rect' && s.x1 === 600)");
    }

    [Fact]
    public async Task A_pair_rules_alert_is_marked_on_the_chart_of_its_two_metrics()
    {
        await using var host = await TestHost.StartAsync();
        // Training mIoU 0.60 against validation 0.35 at iteration 500: a gap far above the guide's 0.15.
        var (_, run) = await host.WriteRunAsync("gan", "gap.log", AlertLog.Lines(100, 500, _ => 0.6) +
            "Evaluating at iteration 500...\nTraining mIoU: 0.6000\nValidation mIoU: 0.3500\n" + AlertLog.Lines(600, 600, _ => 0.6), untilStep: 600);
        var gap = await TestHost.EventuallyAsync(
            async () => (await host.GetJsonAsync<List<Dashboard.Alerts.AlertView>>($"/api/runs/{run.Id}/alerts")).FirstOrDefault(a => a.RuleId == "miou-gap"),
            a => a is not null, "the gap alert");
        Assert.Equal("train/mIoU − val/mIoU", gap!.Metric);

        var page = await AlertBannerTests.OpenAsync(browser, host, $"/runs/{run.Id}");
        var chart = page.Locator(".chart[data-keys*='val/mIoU']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-alert-markers", new System.Text.RegularExpressions.Regex("^[1-9]"));
        await DrawnAsync(page, ".chart[data-keys*='val/mIoU']", shapes: 1);
        var gapMarkers = await chart.EvaluateAsync<double[]>("el => el.querySelector('.js-plotly-plot').layout.shapes.filter(s => s.type === 'line').map(s => s.x0)");
        Assert.Contains(500d, gapMarkers);
        // The alerts came in one list: by now the loss charts have theirs, and the gap is not among them.
        await Assertions.Expect(page.Locator(".chart[data-keys='[\"Loss_D\"]']")).ToHaveAttributeAsync("data-alert-markers", "0");
    }

    /// <summary>Waits until Plotly has drawn the chart with at least that many shapes (plotly.js loads after the circuit starts).</summary>
    private static Task DrawnAsync(IPage page, string chart, int shapes) =>
        page.WaitForFunctionAsync("([chart, shapes]) => (document.querySelector(chart + ' .js-plotly-plot')?.layout?.shapes?.length ?? 0) >= shapes", new object[] { chart, shapes });

    private sealed record ShapeView(string Type, double X0, double X1, double Y0, double Y1, string Color);
}
