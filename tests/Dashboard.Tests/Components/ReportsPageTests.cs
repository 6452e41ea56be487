using Bunit;
using Dashboard.Components.Model;
using Dashboard.Components.Pages;
using Dashboard.Tests.Reports;
using Dashboard.Tests.Support;
using MudBlazor;

namespace Dashboard.Tests.Components;

public sealed class ReportsPageTests
{
    private const string HostileName = "<img src=x onerror=alert(1)>";

    private static async Task<(TestHost Host, string Token)> HostWithReportAsync()
    {
        var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("IRT4", HostileName + ".log", VaeLog.Text(totalSteps: 1_000, batchSize: 8), untilStep: 1_000);
        return (host, (await ReportsApiTests.CreateAsync(host, $"/api/runs/{run.Id}/reports")).Token);
    }

    private static IRenderedComponent<ReportsPage> Render(BunitContext context, bool allowed) =>
        context.Render<ReportsPage>(p => p.AddCascadingValue(new WriteAccess(allowed)));

    [Fact]
    public async Task Without_write_access_the_list_is_not_shown_nor_any_token()
    {
        var (host, token) = await HostWithReportAsync();
        await using var _ = host;
        await using var context = HostComponents.Context(host);

        var page = Render(context, allowed: false);

        page.WaitForElement("[data-role='sign-in-needed']");
        Assert.Empty(page.FindAll("#reports-table"));
        Assert.Empty(page.FindAll("[data-role='revoke']"));
        Assert.DoesNotContain(token, page.Markup);
    }

    [Fact]
    public async Task Revoke_asks_first_keeps_the_report_when_declined_and_revokes_it_when_confirmed()
    {
        var (host, token) = await HostWithReportAsync();
        await using var _ = host;
        await using var context = HostComponents.Context(host);
        var dialogs = context.Render<MudDialogProvider>();

        var page = Render(context, allowed: true);
        var revoke = page.WaitForElement($"#reports-table tr[data-token='{token}'] [data-role='revoke']");
        Assert.False(revoke.HasAttribute("disabled"));
        Assert.NotEqual(WriteAccess.Why, page.FindComponent<MudTooltip>().Instance.Text);

        revoke.Click();
        dialogs.WaitForAssertion(() => Assert.Contains(HostileName, dialogs.Find(".mud-dialog").TextContent));
        Assert.Empty(dialogs.FindAll(".mud-dialog img"));
        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Keep it").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Http.GetAsync($"/r/{token}.json")).StatusCode);
        Assert.Single(page.FindAll($"#reports-table tr[data-token='{token}']"));

        page.Find($"#reports-table tr[data-token='{token}'] [data-role='revoke']").Click();
        dialogs.WaitForElement(".mud-dialog");
        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        page.WaitForAssertion(() => Assert.StartsWith("Revoked", page.Find("[data-role='report-message']").TextContent.Trim()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Http.GetAsync($"/r/{token}.json")).StatusCode);
        Assert.Empty(page.FindAll($"#reports-table tr[data-token='{token}']"));
        Assert.NotNull(page.Find("#reports-empty"));
    }
}
