using System.Text.RegularExpressions;
using Dashboard.Tests.Alerts;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed partial class AlertsPageTests(BrowserFixture browser)
{
    private const string HostileName = "<img src=x onerror=alert(1)>";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$")]
    private static partial Regex UtcText();

    [Fact]
    public async Task An_alert_raised_after_the_page_loaded_shows_on_top_and_its_acknowledgement_and_resolve_show_in_every_tab_without_a_reload()
    {
        await using var host = await TestHost.StartAsync();
        var (_, older) = await host.WriteRunAsync("vision", "older.log", AlertLog.Lines(100, 200, s => s == 200 ? double.NaN : 0.4), untilStep: 200);
        var olderAlert = await AlertBannerTests.AlertAsync(host, older.Id, "loss-nonfinite");
        var (log, run) = await host.WriteRunAsync("gan", HostileName + ".log", AlertLog.Lines(100, 300, _ => 0.6), untilStep: 300);
        var critical = await AlertBannerTests.OpenAsync(browser, host, "/alerts?severity=critical");
        var everyState = await AlertBannerTests.OpenAsync(browser, host, "/alerts?state=all&rule=loss-nonfinite&q=gan");
        // Set on the loaded documents: a reload would lose them.
        foreach (var page in new[] { critical, everyState })
            await page.EvaluateAsync("() => { window.loadedOnce = true; }");
        var criticalRows = critical.Locator("#alerts-body tr[data-alert-id]");
        await Assertions.Expect(criticalRows).ToHaveCountAsync(1);
        await Assertions.Expect(everyState.Locator("#alerts-body tr[data-alert-id]")).ToHaveCountAsync(0);
        await Assertions.Expect(everyState.Locator("#alerts-empty")).ToBeVisibleAsync();

        await TestHost.AppendAsync(log, AlertLog.Lines(400, 400, _ => double.NaN));
        var alert = await AlertBannerTests.AlertAsync(host, run.Id, "loss-nonfinite");
        await Assertions.Expect(criticalRows).ToHaveCountAsync(2);
        await Assertions.Expect(criticalRows.First).ToHaveAttributeAsync("data-alert-id", alert.Id.ToString());
        await Assertions.Expect(criticalRows.Nth(1)).ToHaveAttributeAsync("data-alert-id", olderAlert.Id.ToString());
        var row = critical.Locator($"#alerts-body tr[data-alert-id='{alert.Id}']");
        await Assertions.Expect(row.Locator("[data-field='run']")).ToHaveTextAsync($"gan / {HostileName}");
        await Assertions.Expect(row.Locator("[data-field='run']")).ToHaveAttributeAsync("href", $"/runs/{run.Id}");
        await Assertions.Expect(row.Locator("[data-field='rule']")).ToHaveTextAsync("loss-nonfinite");
        await Assertions.Expect(row.Locator("[data-field='severity']")).ToHaveTextAsync("critical");
        await Assertions.Expect(row.Locator("[data-field='severity']")).ToHaveClassAsync(new Regex(@"\bmud-chip-color-error\b"));
        await Assertions.Expect(row.Locator("[data-field='value']")).ToHaveTextAsync("NaN");
        await Assertions.Expect(row.Locator("[data-field='first']")).ToHaveTextAsync("400");
        await Assertions.Expect(row.Locator("[data-field='raised']")).ToHaveTextAsync(UtcText());
        await Assertions.Expect(row.Locator("[data-field='resolved']")).ToHaveTextAsync("active");
        await Assertions.Expect(critical.Locator("#alerts-body img")).ToHaveCountAsync(0);
        var sameRow = everyState.Locator($"#alerts-body tr[data-alert-id='{alert.Id}']");
        await Assertions.Expect(sameRow).ToHaveCountAsync(1);
        await Assertions.Expect(everyState.Locator("#alerts-empty")).ToBeHiddenAsync();

        // Acknowledged in one tab: the other shows it.
        await sameRow.Locator("[data-role='ack']").ClickAsync();
        await Assertions.Expect(row.Locator("[data-role='acked']")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-role='ack']")).ToBeHiddenAsync();

        // Finite again at 500: the alert leaves the active-only page and reads resolved on the other.
        await TestHost.AppendAsync(log, AlertLog.Lines(500, 500, _ => 0.6));
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(criticalRows).ToHaveCountAsync(1);
        await Assertions.Expect(sameRow).ToHaveAttributeAsync("data-active", "false");
        await Assertions.Expect(sameRow).ToHaveClassAsync(new Regex(@"\balert-row-resolved\b"));
        await Assertions.Expect(sameRow.Locator("[data-field='last']")).ToHaveTextAsync("500");
        await Assertions.Expect(sameRow.Locator("[data-field='resolved']")).ToHaveTextAsync(UtcText());
        await Assertions.Expect(sameRow.Locator("[data-role='acked']")).ToBeVisibleAsync();
        foreach (var page in new[] { critical, everyState })
            Assert.True(await page.EvaluateAsync<bool>("() => window.loadedOnce === true"));
    }
}
