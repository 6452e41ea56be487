using System.Net.Http.Json;
using Dashboard.Api;
using Dashboard.Core.Simulation;
using Dashboard.Tests.Browser;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Reports;

[Collection("browser")]
public sealed class ReportPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Report_page_draws_every_chart_in_Chromium()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var simulator = new S4GanLogSimulator(totalSteps: 2_000, evaluateEvery: 500, seed: 5);
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "<i>bold<i>.log", string.Join('\n', simulator.Lines()) + "\n", untilStep: 2_000);
        var response = await host.Http.PostAsync($"/api/runs/{run.Id}/reports", null);
        var created = (await response.Content.ReadFromJsonAsync<ReportsEndpoints.CreatedReport>(TestHost.Json))!;

        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(created.Url, BrowserFixture.Navigation);

        var charts = page.Locator(".report-chart");
        var count = await charts.CountAsync();
        Assert.True(count >= 5, $"expected a chart per metric family and the loss distribution, found {count}");
        await Assertions.Expect(page.Locator(".report-chart[data-drawn='true']")).ToHaveCountAsync(count);
        await Assertions.Expect(page.Locator(".report-chart .main-svg").First).ToBeVisibleAsync();
        var lossPoints = await page.Locator(".report-chart[data-kind='line']").First.GetAttributeAsync("data-points");
        Assert.Equal("20", lossPoints);
        Assert.Equal("<i>bold<i>", await page.Locator("[data-role='name']").First.TextContentAsync());
        Assert.Equal(0, await page.Locator("#report-page i").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Make_report_on_the_run_page_opens_the_new_report()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("RadioDiff", "button.log", VaeLog.Text(totalSteps: 1_000), untilStep: 1_000);

        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{run.Id}").ToString(), BrowserFixture.Navigation);
        await page.ClickAsync("[data-role='make-report']");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/r/[A-Za-z0-9_-]{22}$"));
        await Assertions.Expect(page.Locator("[data-role='title']")).ToHaveTextAsync("RadioDiff / button");
        await Assertions.Expect(page.Locator(".report-chart[data-drawn='true']").First).ToBeVisibleAsync();
    }
}
