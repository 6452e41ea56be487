using AngleSharp.Html.Parser;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

public sealed class PagesTests
{
    private const string HostileName = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Hostile_run_names_and_config_are_encoded_in_pages()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("<b>proj</b>", HostileName + ".log", "{'note': '<script>alert(2)</script>'}\n" + LogLines.Iter(100, 4), untilStep: 100);

        var parser = new HtmlParser();
        var home = parser.ParseDocument(await host.Http.GetStringAsync("/"));
        Assert.Empty(home.QuerySelectorAll("img"));
        Assert.Empty(home.QuerySelectorAll("b"));
        Assert.Contains(HostileName, home.Body!.TextContent);

        var runPage = parser.ParseDocument(await host.Http.GetStringAsync($"/runs/{run.Id}"));
        Assert.Empty(runPage.QuerySelectorAll("img"));
        Assert.DoesNotContain(runPage.QuerySelectorAll("script"), s => s.TextContent.Contains("alert"));
        Assert.Contains("<script>alert(2)</script>", runPage.Body!.TextContent);
    }

    [Fact]
    public async Task Unknown_run_page_answers_404()
    {
        await using var host = await TestHost.StartAsync();
        var response = await host.Http.GetAsync("/runs/424242");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
