using Bunit;
using Dashboard.Alerts;
using Dashboard.Components.Model;
using Dashboard.Components.Runs;
using Dashboard.Core.Rules;
using Microsoft.AspNetCore.Components;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

/// <summary>The run page's banners: one per cause, collapsible, and writable only when this browser may write.</summary>
public sealed class RunAlertsTests : IAsyncLifetime
{
    // MudBlazor's services dispose only asynchronously, which xunit does only through IAsyncLifetime.
    // The buttons work only in a circuit: render as the interactive server renderer does.
    private readonly BunitContext bunit = new BunitContext().AsCircuit();
    private static readonly DateTimeOffset Raised = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);
    private readonly List<IReadOnlyList<long>> acknowledged = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await bunit.DisposeAsync();

    private static AlertView Alert(long id, string rule, string metric, AlertSeverity severity, double? value, bool active = true) => new(
        id, 7, "gan", "crashed", rule, metric, severity, active, $"{rule} message", $"{rule} advice", 400, 400, value,
        Raised, Raised, active ? null : Raised.AddMinutes(1), null);

    private IRenderedComponent<RunAlerts> Render(bool allowed, params AlertView[] alerts) =>
        bunit.Render<RunAlerts>(parameters => parameters
            .Add(p => p.Alerts, AlertsOfRun.From(alerts))
            .Add(p => p.OnAcknowledge, ids => { acknowledged.Add(ids); return Task.CompletedTask; })
            .AddCascadingValue(new WriteAccess(allowed)));

    [Fact]
    public void A_crash_with_nan_on_four_losses_is_one_red_banner_naming_the_metrics_with_the_advice_once()
    {
        var page = Render(true,
            Alert(1, "loss-nonfinite", "Loss_CE", AlertSeverity.Critical, double.NaN),
            Alert(2, "loss-nonfinite", "Loss_FM", AlertSeverity.Critical, double.NaN),
            Alert(3, "loss-nonfinite", "Loss_ST", AlertSeverity.Critical, double.NaN),
            Alert(4, "loss-nonfinite", "Loss_D", AlertSeverity.Critical, double.NaN),
            Alert(5, "loss-d-high", "Loss_D", AlertSeverity.Warning, 1.5),
            Alert(6, "loss-plateau", "Loss_CE", AlertSeverity.Info, 0.4),
            Alert(7, "loss-d-low", "Loss_D", AlertSeverity.Warning, 0.01, active: false));

        var banners = page.FindAll("#alert-banner .run-alert");
        Assert.Equal(2, banners.Count);
        var crash = banners[0];
        Assert.Equal("1 2 3 4", crash.GetAttribute("data-alert-ids"));
        Assert.Contains("mud-alert-text-error", crash.QuerySelector(".mud-alert")!.ClassList);
        Assert.Equal("(4 metrics)", crash.QuerySelector("[data-field='count']")!.TextContent);
        foreach (var metric in new[] { "Loss_CE", "Loss_FM", "Loss_ST", "Loss_D" })
            Assert.Contains(metric, crash.QuerySelector("[data-field='metric']")!.TextContent);
        Assert.Single(crash.QuerySelectorAll("[data-field='advice']"));
        Assert.Equal("NaN", crash.QuerySelector("[data-field='value']")!.TextContent);
        Assert.Contains("mud-alert-text-warning", banners[1].QuerySelector(".mud-alert")!.ClassList);
        // Information and resolved alerts stay out of the banners, in their own lists.
        Assert.Equal("1", page.Find("#alert-info [data-role='count']").TextContent);
        Assert.Equal("1", page.Find("#alert-resolved [data-role='count']").TextContent);
    }

    [Fact]
    public void A_banner_collapses_to_its_headline_and_opens_again()
    {
        var page = Render(true, Alert(1, "loss-d-high", "Loss_D", AlertSeverity.Warning, 1.5));

        page.Find("[data-role='toggle']").Click();
        Assert.True(page.Find(".run-alert-facts").HasAttribute("hidden"));
        Assert.Equal("loss-d-high message", page.Find("[data-field='message']").TextContent);
        page.Find("[data-role='toggle']").Click();
        Assert.False(page.Find(".run-alert-facts").HasAttribute("hidden"));
    }

    [Fact]
    public void Beyond_two_causes_the_banners_start_folded_to_their_headlines()
    {
        var two = Render(true, Alert(1, "crash", "", AlertSeverity.Critical, null), Alert(2, "loss-d-high", "Loss_D", AlertSeverity.Warning, 1.5));
        Assert.All(two.FindAll(".run-alert-facts"), facts => Assert.False(facts.HasAttribute("hidden")));

        var three = Render(true, Alert(1, "crash", "", AlertSeverity.Critical, null), Alert(2, "loss-d-high", "Loss_D", AlertSeverity.Warning, 1.5),
            Alert(3, "loss-ce-stuck", "Loss_CE", AlertSeverity.Warning, 5.2));
        Assert.All(three.FindAll(".run-alert-facts"), facts => Assert.True(facts.HasAttribute("hidden")));
        // The headline still says since when.
        Assert.All(three.FindAll("[data-field='first']"), first => Assert.Equal("400", first.TextContent));
        three.FindAll("[data-role='toggle']")[1].Click();
        Assert.False(three.FindAll(".run-alert-facts")[1].HasAttribute("hidden"));
    }

    [Fact]
    public void Without_write_access_acknowledge_is_disabled_and_says_why()
    {
        // The tooltip's text shows in the popover layer, as on the page, when the pointer is on the button.
        var popovers = bunit.Render<MudBlazor.MudPopoverProvider>();
        var page = Render(false, Alert(1, "loss-nonfinite", "Loss_CE", AlertSeverity.Critical, double.NaN));

        var button = page.Find("[data-role='ack']");
        Assert.True(button.HasAttribute("disabled"));
        page.Find(".mud-tooltip-root").PointerEnter();
        popovers.WaitForAssertion(() => Assert.Contains(WriteAccess.Why, popovers.Markup));
        Assert.Empty(acknowledged);
    }

    [Fact]
    public void Signed_in_acknowledge_acknowledges_every_alert_of_the_cause()
    {
        var page = Render(true,
            Alert(1, "loss-nonfinite", "Loss_CE", AlertSeverity.Critical, double.NaN),
            Alert(2, "loss-nonfinite", "Loss_D", AlertSeverity.Critical, double.PositiveInfinity));

        var button = page.Find("[data-role='ack']");
        Assert.False(button.HasAttribute("disabled"));
        button.Click();
        Assert.Equal([1L, 2L], Assert.Single(acknowledged));
    }
}
