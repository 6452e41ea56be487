using Bunit;
using Dashboard.Alerts;
using Dashboard.Components.Model;
using Dashboard.Components.Runs;
using Dashboard.Core.Records;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Plotly.Blazor;
using Plotly.Blazor.Interop;

namespace Dashboard.Tests.Components.Runs;

/// <summary>The run page's chart talks to Plotly only through Plotly.Blazor's interop module: new plot, then ExtendTraces.</summary>
public sealed class RunChartTests
{
    private const string PlotlyModule = "./_content/Plotly.Blazor/plotly-interop-7.2.0.js";

    /// <summary>The chart of one key of the run, its calls into Plotly.Blazor's module recorded.</summary>
    private static (IRenderedComponent<RunChart> Chart, BunitJSModuleInterop Plotly) Render(BunitContext bunit, RunSummary run, string key, IReadOnlyList<BandView> bands)
    {
        var plotly = bunit.JSInterop.SetupModule(PlotlyModule);
        plotly.Mode = JSRuntimeMode.Loose;
        var spec = MetricFamilies.Group([key]).Single().Charts.Single();
        var chart = bunit.Render<RunChart>(p => p
            .Add(c => c.Series, ChartSeries.OfRun(run.Id, run.StartedAt, spec.Keys)).Add(c => c.Spec, spec).Add(c => c.Alerts, []).Add(c => c.Bands, bands));
        return (chart, plotly);
    }

    /// <summary>Live points of one key of a run, handed to the chart as its page's feed does.</summary>
    private static Task Append(IRenderedComponent<RunChart> chart, long runId, string key, params StoredPoint[] points) =>
        chart.InvokeAsync(() => chart.Instance.AppendAsync(
            new Dictionary<long, Dictionary<string, List<StoredPoint>>> { [runId] = new() { [key] = [.. points] } }, CancellationToken.None));

    [Fact]
    public async Task A_chart_draws_the_stored_history_then_extends_its_trace_with_a_live_point()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "chart.log", LogLines.IterRange(100, 500), untilStep: 500);
        await using var bunit = HostComponents.Context(host);
        var (chart, plotly) = Render(bunit, run, "Loss_CE", []);

        // Sent to Plotly is not drawn: the chart says it is loaded only when Plotly answers the first relayout.
        chart.WaitForAssertion(() => plotly.VerifyInvoke("subscribeRelayoutEvent"), TimeSpan.FromSeconds(10));
        chart.WaitForAssertion(() => plotly.VerifyInvoke("relayout"), TimeSpan.FromSeconds(10));
        Assert.NotEmpty(plotly.Invocations["newPlot"]);
        Assert.Equal("false", chart.Find(".chart").GetAttribute("data-loaded"));
        var plot = chart.FindComponent<PlotlyChart>();
        await plot.InvokeAsync(() => plot.Instance.RelayoutEvent(new RelayoutEventData()));
        Assert.Equal("true", chart.Find(".chart").GetAttribute("data-loaded"));
        Assert.Equal("5", chart.Find(".chart").GetAttribute("data-points"));

        await chart.InvokeAsync(() => chart.Instance.AppendAsync(
            new Dictionary<long, Dictionary<string, List<StoredPoint>>>
            {
                [run.Id] = new() { ["Loss_CE"] = [new StoredPoint(600, 2.5, 0)], ["Loss_D"] = [new StoredPoint(600, 0.1, 0)] },
                [run.Id + 1] = new() { ["Loss_CE"] = [new StoredPoint(700, 0.3, 0)] },
            },
            CancellationToken.None));

        var extend = plotly.VerifyInvoke("extendTraces");
        // Only this chart's series go to Plotly: the point at step 600 of this run's Loss_CE, into its line trace (index 0).
        var arguments = System.Text.Json.JsonSerializer.Serialize(extend.Arguments.Skip(1));
        Assert.Contains("600", arguments);
        Assert.Contains("2.5", arguments);
        Assert.DoesNotContain("0.1", arguments);
        Assert.DoesNotContain("0.3", arguments);
        Assert.Equal("6", chart.Find(".chart").GetAttribute("data-points"));
        // Drawn, the points live in the browser only: Plotly.Blazor's copy of what it sent is let go.
        Assert.All(plot.Instance.Data.OfType<Plotly.Blazor.Traces.Scatter>(), trace => Assert.Empty(trace.X));
    }

    [Fact]
    public async Task A_band_that_follows_the_last_step_is_redrawn_with_its_shapes_alone_at_most_once_a_second()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "bands.log", LogLines.IterRange(100, 500), untilStep: 500);
        // The clock decides when a band is due; it is the chart's own, the rest comes from the host.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bunit = new BunitContext();
        bunit.Services.AddSingleton<TimeProvider>(clock);
        bunit.AsCircuit().Services.AddFallbackServiceProvider(host.Services);
        var (chart, plotly) = Render(bunit, run, "Loss_D", [new("Loss_D", "d-band", 100, null, 0.2, 0.8)]);
        chart.WaitForAssertion(() => plotly.VerifyInvoke("relayout"), TimeSpan.FromSeconds(10));
        Task AppendAt(long step) => Append(chart, run.Id, "Loss_D", new StoredPoint(step, 0.5, 0));

        // Within the second after the first drawing: the point is drawn, the band waits.
        await AppendAt(600);
        Assert.Single(plotly.Invocations["relayout"]);
        clock.Advance(TimeSpan.FromSeconds(1));
        await AppendAt(700);

        var relayouts = plotly.Invocations["relayout"];
        Assert.Equal(2, relayouts.Count);
        // The band came with the first drawing (a relayout after it would have drawn the chart twice); the first relayout
        // is empty, only asking Plotly to say it has drawn. The redraw sends the shapes, the band now reaching step 700.
        var first = System.Text.Json.JsonSerializer.SerializeToElement(plotly.Invocations["newPlot"][0].Arguments[2]);
        Assert.Equal(500, Assert.Single(first.GetProperty("shapes").EnumerateArray()).GetProperty("x1").GetDouble());
        Assert.Empty(System.Text.Json.JsonSerializer.SerializeToElement(relayouts[0].Arguments[1]).EnumerateObject());
        var update = System.Text.Json.JsonSerializer.SerializeToElement(relayouts[1].Arguments[1]);
        Assert.Equal(["shapes"], update.EnumerateObject().Select(p => p.Name));
        var band = Assert.Single(update.GetProperty("shapes").EnumerateArray());
        Assert.Equal(700, band.GetProperty("x1").GetDouble());
        Assert.Equal("1", chart.Find(".chart").GetAttribute("data-bands"));
        // What PlotlyChart keeps for a later React is the same single band, not the band twice.
        Assert.Single(chart.FindComponent<PlotlyChart>().Instance.Layout.Shapes);
    }

    [Fact]
    public async Task A_scale_changed_while_plotly_is_still_loading_goes_with_the_first_answer()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "scale.log", LogLines.IterRange(100, 500), untilStep: 500);
        await using var bunit = HostComponents.Context(host);
        var plotly = bunit.JSInterop.SetupModule(PlotlyModule);
        plotly.Mode = JSRuntimeMode.Loose;
        // newPlot held: the chart has sent its traces and linear layout, and plotly.js has not answered yet.
        var newPlot = plotly.SetupVoid("newPlot", _ => true);
        var spec = MetricFamilies.Group(["Loss_CE"]).Single().Charts.Single();
        var chart = bunit.Render<RunChart>(p => p
            .Add(c => c.Series, ChartSeries.OfRun(run.Id, run.StartedAt, spec.Keys)).Add(c => c.Spec, spec).Add(c => c.Alerts, []).Add(c => c.Bands, []));
        chart.WaitForAssertion(() => Assert.Single(plotly.Invocations["newPlot"]), TimeSpan.FromSeconds(10));
        Assert.Equal("linear", System.Text.Json.JsonSerializer.SerializeToElement(plotly.Invocations["newPlot"][0].Arguments[2]).GetProperty("yaxis").GetProperty("type").GetString());

        chart.Render(p => p.Add(c => c.Display, ChartDisplay.Default with { LogScale = true }));
        newPlot.SetVoidResult();

        // The layout went stale before the chart was plotted: it is sent whole, on the log scale, instead of the empty relayout.
        chart.WaitForAssertion(() => plotly.VerifyInvoke("relayout"), TimeSpan.FromSeconds(10));
        var layout = System.Text.Json.JsonSerializer.SerializeToElement(Assert.Single(plotly.Invocations["relayout"]).Arguments[1]);
        Assert.Equal("log", layout.GetProperty("yaxis").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_chart_out_of_view_takes_no_live_redraw_and_is_read_again_when_it_comes_back()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "view.log", LogLines.IterRange(100, 500), untilStep: 500);
        await using var bunit = HostComponents.Context(host);
        var visibility = bunit.JSInterop.SetupModule("./Components/Runs/RunChart.razor.js");
        visibility.Mode = JSRuntimeMode.Loose;
        var (chart, plotly) = Render(bunit, run, "Loss_CE", []);
        chart.WaitForAssertion(() => plotly.VerifyInvoke("relayout"), TimeSpan.FromSeconds(10));
        // The browser is asked to say when the chart's own element enters or leaves the screen.
        var observe = visibility.VerifyInvoke("observe");
        Assert.IsType<Microsoft.AspNetCore.Components.ElementReference>(observe.Arguments[0]);

        await chart.InvokeAsync(() => chart.Instance.OnVisibleAsync(false));
        Assert.Equal("false", chart.Find(".chart").GetAttribute("data-in-view"));
        await host.WriteRunAsync("S4GAN_Train", "view.log", LogLines.IterRange(600, 700), untilStep: 700);
        await Append(chart, run.Id, "Loss_CE", new StoredPoint(600, 3.9, 0), new StoredPoint(700, 3.8, 0));
        Assert.Empty(plotly.Invocations["extendTraces"]);
        Assert.Empty(plotly.Invocations["react"]);
        Assert.Equal("5", chart.Find(".chart").GetAttribute("data-points"));

        // Back in view, it reads the store again: the points it skipped are drawn, with the history, in one redraw
        // (the layout goes with it: no relayout after).
        await chart.InvokeAsync(() => chart.Instance.OnVisibleAsync(true));
        Assert.Single(plotly.Invocations["react"]);
        Assert.Single(plotly.Invocations["relayout"]);
        Assert.Equal("7", chart.Find(".chart").GetAttribute("data-points"));
        Assert.Equal("true", chart.Find(".chart").GetAttribute("data-in-view"));
        // Seen, the next point is appended again.
        await Append(chart, run.Id, "Loss_CE", new StoredPoint(800, 3.7, 0));
        plotly.VerifyInvoke("extendTraces");
        Assert.Equal("8", chart.Find(".chart").GetAttribute("data-points"));
    }

    [Fact]
    public async Task A_chart_carries_no_empty_trace_and_a_first_live_NaN_redraws_it_with_its_crosses()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "lean.log", LogLines.IterRange(100, 500), untilStep: 500);
        await using var bunit = HostComponents.Context(host);
        var (chart, plotly) = Render(bunit, run, "Loss_CE", []);
        chart.WaitForAssertion(() => plotly.VerifyInvoke("relayout"), TimeSpan.FromSeconds(10));
        // Every trace costs each live redraw: no crosses, no alert triangles, no hidden axis for them, until there are some.
        var plotted = plotly.Invocations["newPlot"][0].Arguments;
        Assert.Equal(["Loss_CE"], System.Text.Json.JsonSerializer.SerializeToElement(plotted[1]).EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.False(System.Text.Json.JsonSerializer.SerializeToElement(plotted[2]).TryGetProperty("yaxis2", out _));

        await host.WriteRunAsync("S4GAN_Train", "lean.log", LogLines.Iter(600, double.NaN), untilStep: 600);
        await Append(chart, run.Id, "Loss_CE", new StoredPoint(600, double.NaN, 0));

        // The first cross is a new trace: the chart is read again and drawn whole, the cross on its hidden axis.
        Assert.Empty(plotly.Invocations["extendTraces"]);
        var redrawn = plotly.VerifyInvoke("react").Arguments;
        var traces = System.Text.Json.JsonSerializer.SerializeToElement(redrawn[1]).EnumerateArray().ToList();
        Assert.Equal(["Loss_CE", "Loss_CE (non-finite)"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("y2", traces[1].GetProperty("yaxis").GetString());
        Assert.True(System.Text.Json.JsonSerializer.SerializeToElement(redrawn[2]).TryGetProperty("yaxis2", out _));
        Assert.Equal("1", chart.Find(".chart").GetAttribute("data-nonfinite"));
    }

    [Theory]
    [InlineData(1, 100, "lines+markers")]
    [InlineData(200, 40_000, "lines")]
    public async Task A_count_logged_every_step_is_a_line_and_a_short_one_keeps_its_markers(long every, long to, string mode)
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "count.log", LogLines.IterRange(every, to, every), untilStep: to);
        await using var bunit = HostComponents.Context(host);
        var (chart, plotly) = Render(bunit, run, "ST_Count", []);

        chart.WaitForAssertion(() => plotly.VerifyInvoke("newPlot"), TimeSpan.FromSeconds(10));
        var line = System.Text.Json.JsonSerializer.SerializeToElement(plotly.Invocations["newPlot"][0].Arguments[1])[0];
        Assert.Equal(mode, line.GetProperty("mode").GetString());
    }
}
