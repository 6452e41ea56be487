using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

/// <summary>The run list renders one page of runs from the store, never every run.</summary>
public sealed partial class RunListPagingTests
{
    [Fact]
    public async Task The_run_list_shows_the_hundred_latest_runs_and_how_many_there_are()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 0; i < 105; i++)
        {
            var answer = await host.Http.PostAsJsonAsync("/api/ingest", new { project = "p", run = $"run-{i:000}", lines = new[] { "Iter 1/10 | loss: 1.0" } });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var html = await host.Http.GetStringAsync("/");
        Assert.Equal(100, RunRow().Matches(html).Count);
        Assert.Contains("Runs 1–100 of 105", html);
        Assert.Contains("run-104", html);
        Assert.DoesNotContain("run-004<", html);
    }

    [GeneratedRegex("class=\"run-name\"")]
    private static partial Regex RunRow();
}
