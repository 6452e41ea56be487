using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class CompareTests(BrowserFixture browser)
{
    private const string LossPlot = ".chart[data-keys='[\"Loss_CE\"]'] .js-plotly-plot";

    [Fact]
    public async Task Runs_found_by_a_filter_and_ticked_open_a_live_comparison_with_their_config_differences()
    {
        await using var host = await TestHost.StartAsync();
        var (slowLog, slow) = await host.WriteRunAsync("sweep", "lr-001.log", "{'lr': 0.01, 'batch_size': 8}\n" + LogLines.IterRange(100, 500), untilStep: 500);
        var (_, fast) = await host.WriteRunAsync("sweep", "lr-002.log", "{'lr': 0.02, 'batch_size': 8}\n" + LogLines.IterRange(100, 300), untilStep: 300);
        await host.WriteRunAsync("misc", "other.log", LogLines.IterRange(100, 200), untilStep: 200);

        var page = await AlertBannerTests.OpenAsync(browser, host, "/");
        await Assertions.Expect(page.Locator("tr.run-row")).ToHaveCountAsync(3);
        await page.Locator("#filter-q").FillAsync("lr-00");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?q=lr-00$"));
        await Assertions.Expect(page.Locator("tr.run-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-role='compare']")).ToBeDisabledAsync();
        foreach (var run in new[] { slow, fast })
            await page.Locator($"tr.run-row:has([data-run-id='{run.Id}']) input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-role='compare']")).ToHaveTextAsync("Compare (2)");
        await page.Locator("[data-role='compare']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/compare\\?runs={slow.Id},{fast.Id}$"));
        await page.WaitForSelectorAsync("[data-live='connected']");

        await Assertions.Expect(page.Locator("#compare-runs [data-role='name']")).ToHaveTextAsync(["lr-001", "lr-002"]);
        // One line per run on the Loss_CE chart: 5 and 3 points.
        await page.WaitForFunctionAsync($"() => document.querySelector(`{LossPlot}`)?.data?.filter(t => t.legendgroup && !t.name.endsWith('(non-finite)')).map(t => t.x.length).join() === '5,3'");
        var values = page.Locator("#compare-values tr[data-key='Loss_CE'] [data-role='final']");
        await Assertions.Expect(values).ToHaveTextAsync(["3.996", "3.998"]);
        // Only the setting that differs, until all are asked for.
        await Assertions.Expect(page.Locator("#compare-config-table tr[data-setting]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#compare-config-table tr[data-setting='lr'] td")).ToHaveTextAsync(["0.01", "0.02"]);
        await page.Locator("#compare-config input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page.Locator("#compare-config-table tr[data-setting='batch_size'] td")).ToHaveTextAsync(["8", "8"]);

        // The setting that differs against the first metric with a direction: a line per run across the two axes.
        await Assertions.Expect(page.Locator("#compare-parallel .compare-parallel-plot")).ToHaveAttributeAsync("data-axes", "lr|Loss_CE");
        await page.WaitForFunctionAsync("() => document.querySelector('#compare-parallel .js-plotly-plot')?.data?.length === 2");
        var hover = await page.EvaluateAsync<string[]>("() => document.querySelector('#compare-parallel .js-plotly-plot').data.map(t => t.text[0]).sort()");
        Assert.Equal(["lr = 0.01", "lr = 0.02"], hover);
        await Assertions.Expect(page.Locator("#compare-parallel .js-plotly-plot .scatterlayer .trace")).ToHaveCountAsync(2);

        // Live: a line written to one run extends its own line on the chart (in view: one below the screen waits to be seen).
        await page.Locator(LossPlot).ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(page.Locator(".chart[data-keys='[\"Loss_CE\"]']")).ToHaveAttributeAsync("data-in-view", "true");
        await TestHost.AppendAsync(slowLog, LogLines.Iter(600, 2.5));
        await page.WaitForFunctionAsync($"() => document.querySelector(`{LossPlot}`).data.find(t => t.name === 'lr-001').x.includes(600)");
        Assert.DoesNotContain(600d, await page.EvaluateAsync<double[]>($"() => document.querySelector(`{LossPlot}`).data.find(t => t.name === 'lr-002').x"));
    }

    [Fact]
    public async Task A_shared_address_keeps_its_order_and_says_which_runs_are_gone_or_garbled()
    {
        await using var host = await TestHost.StartAsync();
        var (_, a) = await host.WriteRunAsync("sweep", "a.log", LogLines.IterRange(100, 300), untilStep: 300);
        var (_, b) = await host.WriteRunAsync("sweep", "b.log", LogLines.IterRange(100, 300), untilStep: 300);

        var page = await AlertBannerTests.OpenAsync(browser, host, $"/compare?runs={b.Id},{a.Id},999&metrics=Loss_CE");
        await Assertions.Expect(page.Locator("#compare-runs [data-role='name']")).ToHaveTextAsync(["b", "a"]);
        await Assertions.Expect(page.Locator("[data-role='compare-missing']")).ToContainTextAsync("999");
        await Assertions.Expect(page.Locator("#charts .chart")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#compare-values tr[data-key]")).ToHaveCountAsync(1);

        await page.GotoAsync(new Uri(host.BaseAddress, "/compare?runs=1,%3Cscript%3E").ToString(), BrowserFixture.Navigation);
        await Assertions.Expect(page.Locator("[data-role='compare-problem']")).ToContainTextAsync("'<script>' is not a run id");
        await Assertions.Expect(page.Locator("[data-role='compare-empty']")).ToBeVisibleAsync();
    }
}
