using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Browser;

[Collection("browser")]
public sealed class RunListTests(BrowserFixture browser)
{
    [Fact]
    public async Task Picked_metric_columns_and_the_order_live_in_the_address_and_a_garbled_filter_says_so()
    {
        await using var host = await TestHost.StartAsync();
        await host.WriteRunAsync("sweep", "b-run.log", LogLines.IterRange(100, 300), untilStep: 300);
        await host.WriteRunAsync("sweep", "a-run.log", LogLines.IterRange(100, 500), untilStep: 500);

        var page = await AlertBannerTests.OpenAsync(browser, host, "/?columns=Loss_CE,ST_Count");
        await Assertions.Expect(page.Locator("#runs-table thead [data-column]")).ToHaveTextAsync(["Loss_CE", "ST_Count"]);
        await Assertions.Expect(page.Locator("#runs-table thead th", new() { HasText = "Last values" })).ToHaveCountAsync(0);
        var first = page.Locator("tr.run-row").First;
        await Assertions.Expect(first.Locator("[data-column='Loss_CE']")).ToHaveTextAsync("3.996");
        await Assertions.Expect(first.Locator("[data-column='ST_Count']")).ToHaveTextAsync("2");

        // A header orders by its column, A→Z first, and the columns stay.
        await page.Locator("#runs-table thead a[data-sort='name']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?sort=name&columns=Loss_CE%2CST_Count$"));
        await Assertions.Expect(page.Locator("tr.run-row [data-role='name']")).ToHaveTextAsync(["a-run", "b-run"]);
        // The header's arrow comes in the same render as its link to the reverse order: clicked before it, the link
        // still led to the order shown.
        await Assertions.Expect(page.Locator("#runs-table thead a[data-sort='name']")).ToHaveTextAsync("Run ↑");
        await page.Locator("#runs-table thead a[data-sort='name']").ClickAsync();
        await Assertions.Expect(page.Locator("tr.run-row [data-role='name']")).ToHaveTextAsync(["b-run", "a-run"]);
        // A metric's column orders by its last value, the best first (the lowest loss), then the other way.
        await page.Locator("#runs-table thead a[data-sort='last:Loss_CE']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?sort=last%3ALoss_CE&columns=Loss_CE%2CST_Count$"));
        await Assertions.Expect(page.Locator("tr.run-row [data-role='name']")).ToHaveTextAsync(["a-run", "b-run"]);
        await Assertions.Expect(page.Locator("#runs-table thead [data-column='Loss_CE']")).ToHaveTextAsync("Loss_CE ↑");
        await page.Locator("#runs-table thead a[data-sort='last:Loss_CE']").ClickAsync();
        await Assertions.Expect(page.Locator("tr.run-row [data-role='name']")).ToHaveTextAsync(["b-run", "a-run"]);

        await page.GotoAsync(new Uri(host.BaseAddress, "/?status=sideways").ToString(), BrowserFixture.Navigation);
        await Assertions.Expect(page.Locator("[data-role='query-problem']")).ToContainTextAsync("status must be one of");
        await Assertions.Expect(page.Locator("tr.run-row")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Grouped_by_project_each_project_gets_a_heading_over_its_runs()
    {
        await using var host = await TestHost.StartAsync();
        await host.WriteRunAsync("sweep", "one.log", LogLines.IterRange(100, 300), untilStep: 300);
        await host.WriteRunAsync("alpha", "two.log", LogLines.IterRange(100, 300), untilStep: 300);
        await host.WriteRunAsync("sweep", "three.log", LogLines.IterRange(100, 300), untilStep: 300);

        var page = await AlertBannerTests.OpenAsync(browser, host, "/");
        await page.Locator("#run-filters input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?group=project$"));
        await Assertions.Expect(page.Locator(".group-row")).ToHaveCountAsync(2);
        Assert.Equal(["alpha", "sweep"], await page.Locator(".group-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.group)"));
        await Assertions.Expect(page.Locator(".group-row[data-group='sweep']")).ToContainTextAsync("· 2 runs");
        // Under each heading, its own runs.
        Assert.Equal(["alpha", "sweep", "sweep"], await page.Locator("tr.run-row [data-role='project']").AllTextContentsAsync());
    }
}
