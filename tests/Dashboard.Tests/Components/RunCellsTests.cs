using Bunit;
using Dashboard.Alerts;
using Dashboard.Components.Model;
using Dashboard.Components.Shared;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Tests.Components;

public sealed class RunCellsTests : IAsyncLifetime
{
    // The row's compare box is a MudBlazor checkbox; MudBlazor's services dispose only asynchronously.
    private readonly BunitContext bunit = new BunitContext().AsCircuit();

    private const string HostileName = "<img src=x onerror=alert(1)>";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await bunit.DisposeAsync();

    // The run list's cells for one run, as its grid row holds them.
    private IRenderedComponent<IComponent> RenderRow(RunSummary run, AlertCounts? alerts) =>
        bunit.Render(builder =>
        {
            var row = RunListRow.From(run, Now);
            builder.OpenElement(0, "div");
            builder.OpenComponent<RunNameCell>(1);
            builder.AddComponentParameter(2, nameof(RunNameCell.Row), row);
            builder.AddComponentParameter(3, nameof(RunNameCell.Alerts), alerts);
            builder.CloseComponent();
            builder.OpenComponent<LastValues>(4);
            builder.AddComponentParameter(5, nameof(LastValues.Row), row);
            builder.CloseComponent();
            builder.OpenComponent<ProgressCell>(6);
            builder.AddComponentParameter(7, nameof(ProgressCell.Progress), row.Progress);
            builder.CloseComponent();
            builder.CloseElement();
        });

    [Fact]
    public void A_row_shows_formatted_last_values_and_alert_counts_and_hostile_names_as_text()
    {
        var run = new RunSummary(7, HostileName, "<b>proj</b>", "x.log", RunStatus.Running, 600, 1000, Now.AddMinutes(-5), Now.AddSeconds(-3),
            [new LastValue("Loss_D", 600, 1.23456), new LastValue("lr", 600, 0.00002)]);

        var row = RenderRow(run, new AlertCounts(Warning: 1, Critical: 0)).Find("div");
        Assert.Equal("running", row.QuerySelector("[data-run-id='7']")!.GetAttribute("data-status"));

        Assert.Empty(row.QuerySelectorAll("img"));
        Assert.Empty(row.QuerySelectorAll("b"));
        Assert.Equal(HostileName, row.QuerySelector("[data-role='name']")!.TextContent);
        Assert.Equal("1.235", row.QuerySelector(".last-value[data-key='Loss_D'] .lv-value")!.TextContent);
        Assert.Equal("2.00e-5", row.QuerySelector(".last-value[data-key='lr'] .lv-value")!.TextContent);
        Assert.Equal("1 warning", row.QuerySelector("[data-role='warning-count']")!.TextContent);
        Assert.False(row.QuerySelector("[data-role='warning-count']")!.HasAttribute("hidden"));
        Assert.True(row.QuerySelector("[data-role='critical-count']")!.HasAttribute("hidden"));
        Assert.Equal("600", row.QuerySelector("[data-run-step]")!.GetAttribute("data-run-step"));
    }
}
