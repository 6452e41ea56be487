using System.Net;
using System.Net.Http.Json;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>`GET /api/runs` pages, orders and filters on the server; the body stays an array and X-Total-Count says how many match.</summary>
public sealed class RunListQueryTests
{
    private static async Task IngestAsync(TestHost host, string project, string run, params string[] lines)
    {
        var answer = await host.Http.PostAsJsonAsync("/api/ingest", new { project, run, lines });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private static async Task<(List<RunSummary> Runs, int Total)> ListAsync(TestHost host, string query)
    {
        var answer = await host.Http.GetAsync("/api/runs" + query);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var runs = (await answer.Content.ReadFromJsonAsync<List<RunSummary>>(TestHost.Json))!;
        return (runs, int.Parse(answer.Headers.GetValues("X-Total-Count").Single()));
    }

    [Fact]
    public async Task Pages_follow_each_other_without_repeating_or_skipping_a_run()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 0; i < 25; i++)
            await IngestAsync(host, i % 2 == 0 ? "even" : "odd", $"run-{i:00}", $"Iter {i + 1}/100 | loss: 1.0");

        var (first, total) = await ListAsync(host, "?limit=10&sort=name");
        var (second, _) = await ListAsync(host, "?limit=10&offset=10&sort=name");
        var (third, _) = await ListAsync(host, "?limit=10&offset=20&sort=name");
        Assert.Equal(25, total);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"run-{i:00}"), first.Concat(second).Concat(third).Select(r => r.Name));

        var (byStep, _) = await ListAsync(host, "?sort=-step&limit=3");
        Assert.Equal([25L, 24L, 23L], byStep.Select(r => r.Step!.Value));
        // The default is the most recently updated first, 100 at most.
        var (all, count) = await ListAsync(host, "");
        Assert.Equal(25, count);
        Assert.Equal("run-24", all[0].Name);
    }

    [Fact]
    public async Task Text_project_status_alerts_tag_and_start_filters_narrow_the_list_and_its_total()
    {
        await using var host = await TestHost.StartAsync();
        await IngestAsync(host, "gan", "baseline-lr3e4", "Iter 1/100 | loss: 1.0");
        await IngestAsync(host, "gan", "wide_100%", "Iter 1/100 | loss: 1.0", "Traceback (most recent call last):");
        await IngestAsync(host, "vae", "baseline-beta", "Iter 1/100 | loss: 1.0", "Iter 2/100 | loss: nan");
        var vae = (await ListAsync(host, "?project=vae")).Runs.Single();
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PutAsJsonAsync($"/api/runs/{vae.Id}/tags", new { tags = new[] { "keep", "beta-sweep" } })).StatusCode);

        Assert.Equal(["baseline-beta", "baseline-lr3e4"], (await ListAsync(host, "?q=BASELINE&sort=name")).Runs.Select(r => r.Name));
        // % and _ are literal characters, not patterns.
        Assert.Equal(["wide_100%"], (await ListAsync(host, "?q=_100%25")).Runs.Select(r => r.Name));
        Assert.Equal(0, (await ListAsync(host, "?q=e_l")).Total);
        Assert.Equal(2, (await ListAsync(host, "?project=gan")).Total);
        Assert.Equal(["wide_100%"], (await ListAsync(host, "?status=crashed")).Runs.Select(r => r.Name));
        var tagged = (await ListAsync(host, "?tag=keep")).Runs.Single();
        Assert.Equal(["beta-sweep", "keep"], tagged.Tags);
        Assert.Equal(0, (await ListAsync(host, "?tag=kee")).Total);
        // The NaN and the crash each raise an alert; the healthy run has none.
        var alerted = await TestHost.EventuallyAsync(() => ListAsync(host, "?alerts=true&sort=name"), page => page.Total == 2, "the runs with a NaN and a crash alert");
        Assert.Equal(["baseline-beta", "wide_100%"], alerted.Runs.Select(r => r.Name));
        Assert.Equal(["baseline-lr3e4"], (await ListAsync(host, "?alerts=false")).Runs.Select(r => r.Name));
        Assert.Equal(3, (await ListAsync(host, $"?from={DateTime.UtcNow.AddHours(-1):O}")).Total);
        Assert.Equal(0, (await ListAsync(host, $"?to={DateTime.UtcNow.AddHours(-1):O}")).Total);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?sort=loss", "sort")]
    [InlineData("?sort=1", "sort")]
    [InlineData("?sort=last:", "sort")]
    [InlineData("?status=exploded", "status")]
    [InlineData("?alerts=maybe", "alerts")]
    [InlineData("?from=yesterday", "from")]
    public async Task A_query_it_cannot_read_is_a_400_naming_the_parameter(string query, string parameter)
    {
        await using var host = await TestHost.StartAsync();
        var answer = await host.Http.GetAsync("/api/runs" + query);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(parameter + " ", (await answer.Content.ReadFromJsonAsync<ProblemBody>())!.Detail);
    }

    private sealed record ProblemBody(string Title, string Detail);
}
