using System.Net;
using System.Net.Http.Json;
using Bunit;
using Dashboard.Components.Model;
using Dashboard.Components.Pages;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Tests.Components;

/// <summary>The run list's state lives in its address: order, metric columns and groups, read back from the store; ticked runs survive a filter.</summary>
public sealed class RunListStateTests
{
    private static async Task IngestAsync(TestHost host, string project, string run, double loss)
    {
        var answer = await host.Http.PostAsJsonAsync("/api/ingest", new { project, run, lines = new[] { $"Iter 1/100 | loss: {loss}" } });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private static IReadOnlyList<string> Names(IRenderedComponent<Home> page) => [.. page.FindAll("tr.run-row [data-role='name']").Select(a => a.TextContent)];

    [Fact]
    public async Task The_address_orders_by_a_metric_groups_by_project_and_ticked_runs_survive_a_filter()
    {
        await using var host = await TestHost.StartAsync();
        await IngestAsync(host, "gan", "gan-a", 0.7);
        await IngestAsync(host, "seg", "seg-a", 0.2);
        await IngestAsync(host, "gan", "gan-b", 0.4);
        await using var context = HostComponents.Context(host);
        var navigation = context.Services.GetRequiredService<NavigationManager>();

        navigation.NavigateTo("/?sort=last:loss&columns=loss");
        var page = context.Render<Home>(p => p.AddCascadingValue(new WriteAccess(false)));
        page.WaitForAssertion(() => Assert.Equal(["seg-a", "gan-b", "gan-a"], Names(page)));
        Assert.Equal("loss ↑", page.Find("thead [data-column='loss']").TextContent);
        // An order is not a filter: nothing to clear.
        Assert.Empty(page.FindAll("[data-role='clear-filters']"));
        // Again on the same column reverses it; another column starts from its own default.
        Assert.Equal("/?sort=-last%3Aloss&columns=loss", page.Find("a[data-sort='last:loss']").GetAttribute("href"));
        Assert.Equal("/?sort=name&columns=loss", page.Find("a[data-sort='name']").GetAttribute("href"));

        navigation.NavigateTo("/?group=project&columns=loss");
        page.WaitForAssertion(() => Assert.Equal(["gan", "seg"], page.FindAll(".group-row").Select(r => r.GetAttribute("data-group"))));
        Assert.Equal(["gan-a", "gan-b", "seg-a"], Names(page));
        Assert.Equal(["· 2 runs", "· 1 run"], page.FindAll("[data-role='group-count']").Select(c => c.TextContent));
        // A project going on to the next page says how many it has in all.
        navigation.NavigateTo("/?limit=1&group=project");
        page.WaitForAssertion(() => Assert.Equal(["gan-a"], Names(page)));
        Assert.Equal("· 2 runs, 1 on this page", page.Find("[data-role='group-count']").TextContent);
        navigation.NavigateTo("/?group=project&columns=loss");
        page.WaitForAssertion(() => Assert.Equal(3, Names(page).Count));

        page.FindAll("tr.run-row input[type=checkbox]")[0].Change(true);
        page.FindAll("tr.run-row input[type=checkbox]")[2].Change(true);
        var compare = page.Find("[data-role='compare']");
        Assert.Equal("Compare (2)", compare.TextContent.Trim());
        var ticked = compare.GetAttribute("href");
        var ids = page.FindAll("tr.run-row .run-name").Select(r => r.GetAttribute("data-run-id")).ToList();
        Assert.Equal($"/compare?runs={ids[0]},{ids[2]}", ticked);
        navigation.NavigateTo("/?q=gan-b");
        page.WaitForAssertion(() => Assert.Equal(["gan-b"], Names(page)));
        Assert.Equal(ticked, page.Find("[data-role='compare']").GetAttribute("href"));
    }
}
