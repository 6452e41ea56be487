using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class RunPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Point_appended_to_the_log_appears_in_the_open_chart()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "browser.log", LogLines.IterRange(100, 500), untilStep: 500);

        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{run.Id}").ToString(), BrowserFixture.Navigation);
        await page.WaitForSelectorAsync("[data-live='connected']");
        var chart = page.Locator(".chart[data-keys*='Loss_CE']").First;
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "5");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-loaded", "true");
        // Drawn by Plotly once plotly.js has loaded.
        await page.WaitForFunctionAsync("() => document.querySelector(`.chart[data-keys*='Loss_CE'] .js-plotly-plot`)?.data?.[0]?.x?.length === 5");

        await TestHost.AppendAsync(log, LogLines.Iter(600, 2.5));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "6");
        // Drawn, not only counted: the point is in Plotly's data.
        await page.WaitForFunctionAsync("() => document.querySelector(`.chart[data-keys*='Loss_CE'] .js-plotly-plot`)?.data?.[0]?.x?.includes(600)");
        await Assertions.Expect(page.Locator("[data-run-step]").First).ToContainTextAsync("600");
    }

    [Fact]
    public async Task A_chart_below_the_screen_leaves_live_points_until_scrolled_to_then_draws_them()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "below.log", LogLines.IterRange(100, 500), untilStep: 500);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 500 } });
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{run.Id}").ToString(), BrowserFixture.Navigation);
        await page.WaitForSelectorAsync("[data-live='connected']");
        var (seen, below) = (page.Locator(".chart").First, page.Locator(".chart").Last);
        await Assertions.Expect(below).ToHaveAttributeAsync("data-loaded", "true");
        await Assertions.Expect(seen).ToHaveAttributeAsync("data-in-view", "true");
        await Assertions.Expect(below).ToHaveAttributeAsync("data-in-view", "false");
        static string Holds(long step) => $"c => c.querySelector('.js-plotly-plot')?.data?.[0]?.x?.includes({step}) === true";

        // The chart in view draws each point. A page applies one update after another, so once it drew the second, the
        // chart below had been handed the first and left it for later.
        foreach (var step in new[] { 600, 700 })
        {
            await TestHost.AppendAsync(log, LogLines.Iter(step, 2.5));
            await page.WaitForFunctionAsync($"() => ({Holds(step)})(document.querySelector('.chart'))");
        }
        Assert.False(await below.EvaluateAsync<bool>(Holds(600)));
        Assert.Equal("5", await below.GetAttributeAsync("data-points"));

        await below.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(below).ToHaveAttributeAsync("data-in-view", "true");
        await Assertions.Expect(below).ToHaveAttributeAsync("data-points", "7");
        await page.WaitForFunctionAsync($"() => ({Holds(700)})([...document.querySelectorAll('.chart')].at(-1))");
    }

    [Fact]
    public async Task After_a_dropped_connection_the_page_reconnects_and_fills_the_gap()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "reconnect.log", LogLines.IterRange(100, 300), untilStep: 300);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{run.Id}").ToString(), BrowserFixture.Navigation);
        await page.WaitForSelectorAsync("[data-live='connected']");
        var chart = page.Locator(".chart[data-keys*='Loss_CE']").First;
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "3");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-loaded", "true");

        await host.StopAsync();
        // The circuit is lost: .NET's reconnect dialog opens; after the restart the old circuit is refused and the page reloads itself.
        await page.WaitForSelectorAsync("#components-reconnect-modal[open]");
        await TestHost.AppendAsync(log, LogLines.IterRange(400, 800));
        await host.RestartAsync(keepPort: true);

        await page.WaitForSelectorAsync("[data-live='connected']", new() { Timeout = 30_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "8", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-run-step]").First).ToContainTextAsync("800");
    }

    [Fact]
    public async Task Run_list_shows_a_new_run_without_reload()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.AppendAsync(host.LogPath("first", "one.log"), LogLines.Iter(100, 4));
        await host.WaitForRunAsync(r => r.Name == "one");

        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString(), BrowserFixture.Navigation);
        await page.WaitForSelectorAsync("[data-live='connected']");
        await Assertions.Expect(page.Locator("[data-run-id]")).ToHaveCountAsync(1);

        await TestHost.AppendAsync(host.LogPath("second", "two.log"), LogLines.Iter(100, 4));
        await Assertions.Expect(page.Locator("[data-run-id]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("two");
    }

    [Fact]
    public async Task On_a_crashed_run_at_1400_by_900_the_alerts_are_grouped_and_the_first_chart_is_on_the_first_screen()
    {
        await using var host = await TestHost.StartAsync();
        var crash = LogLines.IterRange(100, 900)
            + "Iter 1000/50000 | Loss_CE: nan | Loss_FM: nan | Loss_ST: nan | Loss_D: nan | ST_Count: 6\n"
            + "Traceback (most recent call last):\n  File \"train.py\", line 12, in <module>\nRuntimeError: CUDA error: device-side assert triggered\n";
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "crashed.log", crash, untilStep: 1000);
        await TestHost.EventuallyAsync(() => host.GetJsonAsync<List<Dashboard.Alerts.AlertView>>($"/api/runs/{run.Id}/alerts"),
            alerts => alerts.Count(a => a.RuleId == "loss-nonfinite") == 4 && alerts.Any(a => a.RuleId == "crash"), "the crash's alerts");

        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{run.Id}").ToString(), BrowserFixture.Navigation);
        await page.WaitForSelectorAsync("[data-live='connected']");
        await Assertions.Expect(page.Locator(".chart[data-keys*='Loss_CE']").First).ToHaveAttributeAsync("data-loaded", "true");

        // NaN on four losses: one banner naming them, not four with the same advice.
        var nonFinite = page.Locator("#alert-banner .run-alert[data-severity='critical']").Filter(new() { HasText = "4 metrics" });
        await Assertions.Expect(nonFinite).ToHaveCountAsync(1);
        Assert.Equal(4, (await nonFinite.GetAttributeAsync("data-alert-ids"))!.Split(' ').Length);
        var firstChart = await page.Locator(".chart-card").First.BoundingBoxAsync();
        Assert.NotNull(firstChart);
        // Its title and the top of its plot show without scrolling.
        Assert.True(firstChart.Y + 120 <= 900, $"the first chart starts at y={firstChart.Y}");
    }
}
