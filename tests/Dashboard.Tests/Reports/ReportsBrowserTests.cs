using Dashboard.Tests.Browser;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Reports;

[Collection("browser")]
public sealed class ReportsBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Reports_page_revokes_a_report_after_its_confirmation()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("IRT4", "vae.log", VaeLog.Text(totalSteps: 1_000, batchSize: 8), untilStep: 1_000);
        var created = await ReportsApiTests.CreateAsync(host, $"/api/runs/{run.Id}/reports");

        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/reports").ToString(), BrowserFixture.Navigation);
        await page.WaitForSelectorAsync("[data-live='connected']");
        await page.WaitForSelectorAsync("#reports[data-ready='true']");

        await page.Locator($"#reports-table tr[data-token='{created.Token}'] [data-role='revoke']").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("vae");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-role='report-message']")).ToContainTextAsync("Revoked");
        await Assertions.Expect(page.Locator($"#reports-table tr[data-token='{created.Token}']")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Http.GetAsync($"/r/{created.Token}")).StatusCode);
    }
}
