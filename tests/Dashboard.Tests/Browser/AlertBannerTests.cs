using Dashboard.Alerts;
using Dashboard.Tests.Alerts;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class AlertBannerTests(BrowserFixture browser)
{
    /// <summary>Opens a page and waits for its hub subscription; generous, for a loaded shared machine (Plotly alone is megabytes).</summary>
    internal static async Task<IPage> OpenAsync(BrowserFixture browser, TestHost host, string path)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, path).ToString(), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("[data-live='connected']", new() { Timeout = 30_000 });
        return page;
    }

    internal static Task<AlertView> AlertAsync(TestHost host, long runId, string rule) =>
        TestHost.EventuallyAsync(
            async () => (await host.GetJsonAsync<List<AlertView>>($"/api/runs/{runId}/alerts")).FirstOrDefault(a => a.RuleId == rule),
            a => a is not null, $"a {rule} alert")!;

    [Fact]
    public async Task A_warning_then_a_nan_written_to_the_log_show_amber_then_red_banners_live_until_they_clear()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "live.log", AlertLog.Lines(100, 500, _ => 0.6), untilStep: 500);
        var page = await OpenAsync(browser, host, $"/runs/{run.Id}");
        await Assertions.Expect(page.Locator("#alert-banner [data-alert-id]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#critical-banner")).ToBeHiddenAsync();

        await TestHost.AppendAsync(log, AlertLog.Lines(600, 600, _ => 1.5));
        var warning = page.Locator("#alert-banner [data-alert-id][data-severity='warning']");
        await Assertions.Expect(warning).ToHaveCountAsync(1);
        await Assertions.Expect(warning.Locator(".mud-alert")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmud-alert-text-warning\b"));
        await Assertions.Expect(warning.Locator("[data-field='message']")).ToHaveTextAsync("Loss_D is above 1.0: training is unstable");
        await Assertions.Expect(warning.Locator("[data-field='first']")).ToHaveTextAsync("600");
        await Assertions.Expect(warning.Locator("[data-field='value']")).ToHaveTextAsync("1.5");
        await Assertions.Expect(warning.Locator("[data-field='advice']")).ToContainTextAsync("Reduce the learning rates");
        await Assertions.Expect(page.Locator("#critical-banner")).ToBeHiddenAsync();

        await TestHost.AppendAsync(log, AlertLog.Lines(700, 700, _ => double.NaN));
        var critical = page.Locator("#alert-banner [data-alert-id][data-severity='critical']");
        await Assertions.Expect(critical).ToHaveCountAsync(1);
        await Assertions.Expect(critical.Locator(".mud-alert")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmud-alert-text-error\b"));
        await Assertions.Expect(critical.Locator("[data-field='message']")).ToContainTextAsync("NaN or infinite");
        await Assertions.Expect(critical.Locator("[data-field='first']")).ToHaveTextAsync("700");
        // Finite and healthy again: both clear, and move to the collapsed list of resolved alerts.
        await TestHost.AppendAsync(log, AlertLog.Lines(800, 800, _ => 0.6));
        await Assertions.Expect(page.Locator("#alert-banner [data-alert-id]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#alert-resolved [data-alert-id][data-severity='critical']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alert-resolved [data-role='count']")).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task The_critical_banner_of_other_pages_appears_live_links_to_the_run_and_shows_a_hostile_name_as_text()
    {
        const string hostileName = "<img src=x onerror=alert(1)>";
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", hostileName + ".log", AlertLog.Lines(100, 300, _ => 0.6), untilStep: 300);
        var page = await OpenAsync(browser, host, "/alerts");
        await Assertions.Expect(page.Locator("#critical-banner")).ToBeHiddenAsync();

        await TestHost.AppendAsync(log, AlertLog.Lines(400, 400, _ => double.NaN));
        var item = page.Locator("#critical-banner [data-alert-id]");
        await Assertions.Expect(item).ToHaveCountAsync(1);
        await Assertions.Expect(item.Locator("a")).ToHaveAttributeAsync("href", $"/runs/{run.Id}");
        await Assertions.Expect(item.Locator("a")).ToHaveTextAsync($"gan / {hostileName}");
        await Assertions.Expect(page.Locator("#critical-banner img")).ToHaveCountAsync(0);

        // Finite again: the alert clears, and so does the banner.
        await TestHost.AppendAsync(log, AlertLog.Lines(500, 500, _ => 0.6));
        await Assertions.Expect(page.Locator("#critical-banner")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_run_list_counts_warnings_and_critical_alerts_live()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "counted.log", AlertLog.Lines(100, 300, _ => 0.6), untilStep: 300);
        var page = await OpenAsync(browser, host, "/");
        var row = page.Locator($"[data-run-id='{run.Id}']");
        await Assertions.Expect(row.Locator("[data-role='warning-count']")).ToBeHiddenAsync();

        await TestHost.AppendAsync(log, AlertLog.Lines(400, 400, _ => 1.5));
        await Assertions.Expect(row.Locator("[data-role='warning-count']")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-role='warning-count']")).ToHaveTextAsync("1 warning");

        await TestHost.AppendAsync(log, AlertLog.Lines(500, 500, _ => double.NaN));
        await Assertions.Expect(row.Locator("[data-role='critical-count']")).ToHaveTextAsync("1 critical");
        await Assertions.Expect(row.Locator("[data-role='critical-count']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#critical-banner [data-alert-id]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Acknowledging_from_the_run_page_marks_the_alert_seen()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("gan", "ack.log", AlertLog.Lines(100, 300, s => s == 300 ? 1.5 : 0.6), untilStep: 300);
        var alert = await AlertAsync(host, run.Id, "loss-d-high");
        var page = await OpenAsync(browser, host, $"/runs/{run.Id}");

        var item = page.Locator($"#alert-banner [data-alert-id='{alert.Id}']");
        await item.Locator("[data-role='ack']").ClickAsync();
        await Assertions.Expect(item.Locator("[data-role='acked']")).ToBeVisibleAsync();
        await Assertions.Expect(item.Locator("[data-role='ack']")).ToBeHiddenAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-acknowledged", "true");
        var stored = await AlertAsync(host, run.Id, "loss-d-high");
        Assert.NotNull(stored.AcknowledgedAt);
    }

    [Fact]
    public async Task With_an_api_key_the_pages_are_read_only_until_signed_in_with_an_httponly_strict_cookie_and_never_keep_the_key()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = "s3cret-key" });
        var (log, run) = await host.WriteRunAsync("gan", "keyed.log", AlertLog.Lines(100, 200, s => s == 200 ? 1.5 : 0.6), untilStep: 200);
        var high = await AlertAsync(host, run.Id, "loss-d-high");
        await TestHost.AppendAsync(log, AlertLog.Lines(300, 300, _ => double.NaN));
        var nan = await AlertAsync(host, run.Id, "loss-nonfinite");
        var page = await OpenAsync(browser, host, "/alerts?state=all");

        // Read-only: the button is there, disabled, and says why.
        var first = page.Locator($"#alerts-body tr[data-alert-id='{nan.Id}']");
        await Assertions.Expect(first.Locator("[data-role='ack']")).ToBeDisabledAsync();
        await first.Locator("[data-role='ack']").HoverAsync(new() { Force = true });
        await Assertions.Expect(page.GetByText(Dashboard.Components.Model.WriteAccess.Why).First).ToBeVisibleAsync();

        // A refused key leaves the browser signed out, on the form.
        await page.Locator("[data-role='session']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl="));
        await page.Locator("#api-key").FillAsync("wrong-key");
        await page.Locator("[data-role='sign-in']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-role='sign-in-refused']")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dashboard.session");

        // The right key: back on the alerts page, signed in, and the write works.
        await page.Locator("#api-key").FillAsync("s3cret-key");
        await page.Locator("[data-role='sign-in']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/alerts\\?state=all$"));
        await page.WaitForSelectorAsync("[data-live='connected']");
        await Assertions.Expect(page.Locator("[data-role='session']")).ToHaveAttributeAsync("data-signed-in", "true");
        await first.Locator("[data-role='ack']").ClickAsync();
        await Assertions.Expect(first.Locator("[data-role='acked']")).ToBeVisibleAsync();
        Assert.NotNull((await AlertAsync(host, run.Id, "loss-nonfinite")).AcknowledgedAt);
        Assert.Null((await AlertAsync(host, run.Id, "loss-d-high")).AcknowledgedAt);

        // The key went into a session cookie no script can read, not into the page's storage.
        Assert.DoesNotContain("s3cret-key", await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie"));
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "dashboard.session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        // Signing out makes the pages read-only again.
        await page.Locator("[data-role='session']").ClickAsync();
        await page.Locator("[data-role='sign-out']").ClickAsync();
        await page.WaitForSelectorAsync("[data-live='connected']");
        await Assertions.Expect(page.Locator("[data-role='session']")).ToHaveAttributeAsync("data-signed-in", "false");
        await Assertions.Expect(page.Locator($"#alerts-body tr[data-alert-id='{high.Id}'] [data-role='ack']")).ToBeDisabledAsync();
    }
}
