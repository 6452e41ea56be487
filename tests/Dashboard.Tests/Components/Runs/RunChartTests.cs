using Bunit;
using Dashboard.Components.Model;
using Dashboard.Components.Runs;
using Dashboard.Core.Records;
using Dashboard.Tests.Support;
using Plotly.Blazor;
using Plotly.Blazor.Interop;

namespace Dashboard.Tests.Components.Runs;

/// <summary>The run page's chart talks to Plotly only through Plotly.Blazor's interop module: new plot, then ExtendTraces.</summary>
public sealed class RunChartTests
{
    private const string PlotlyModule = "./_content/Plotly.Blazor/plotly-interop-7.2.0.js";

    [Fact]
    public async Task A_chart_draws_the_stored_history_then_extends_its_trace_with_a_live_point()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "chart.log", LogLines.IterRange(100, 500), untilStep: 500);
        await using var bunit = HostComponents.Context(host);
        var plotly = bunit.JSInterop.SetupModule(PlotlyModule);
        plotly.Mode = JSRuntimeMode.Loose;
        var spec = MetricFamilies.Group(["Loss_CE"]).Single().Charts.Single();

        var chart = bunit.Render<RunChart>(p => p
            .Add(c => c.Series, ChartSeries.OfRun(run.Id, run.StartedAt, spec.Keys)).Add(c => c.Spec, spec).Add(c => c.Alerts, []).Add(c => c.Bands, []));

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
    }
}
