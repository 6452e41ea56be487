using System.Net;
using System.Net.Http.Json;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>Users tag runs and write notes; writes need the key, bad labels are refused, reports carry them.</summary>
public sealed class RunLabelsTests
{
    private const string Key = "labels-test-key-1234";

    private static async Task<(TestHost Host, long RunId)> StartWithRunAsync()
    {
        var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = Key });
        var ingest = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = JsonContent.Create(new { project = "p", run = "r", lines = new[] { "Iter 1/2 | loss: 1.0", "Iter 2/2 | loss: 0.5" } }) };
        ingest.Headers.Add("X-Api-Key", Key);
        var answer = await host.Http.SendAsync(ingest);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return (host, (await host.WaitForRunAsync(r => r.Name == "r")).Id);
    }

    private static Task<HttpResponseMessage> PutAsync(TestHost host, string url, object body, bool withKey = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (withKey)
            request.Headers.Add("X-Api-Key", Key);
        return host.Http.SendAsync(request);
    }

    [Fact]
    public async Task Tags_and_a_note_are_saved_shown_with_the_run_and_written_into_its_report()
    {
        var (host, runId) = await StartWithRunAsync();
        await using var _ = host;
        Assert.Equal(HttpStatusCode.Unauthorized, (await PutAsync(host, $"/api/runs/{runId}/tags", new { tags = new[] { "x" } }, withKey: false)).StatusCode);

        var tags = await PutAsync(host, $"/api/runs/{runId}/tags", new { tags = new[] { " best ", "lr-sweep", "best" } });
        Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
        var note = await PutAsync(host, $"/api/runs/{runId}/note", new { note = "Diverged after the LR warm-up.\n\n<script>alert(1)</script> [x](javascript:alert(1))" });
        Assert.Equal(HttpStatusCode.OK, note.StatusCode);

        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{runId}");
        Assert.Equal(["best", "lr-sweep"], detail.Run.Tags);
        Assert.StartsWith("Diverged after the LR warm-up.", detail.Note);

        var report = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{runId}/reports");
        report.Headers.Add("X-Api-Key", Key);
        var made = await host.Http.SendAsync(report);
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        var url = (await made.Content.ReadFromJsonAsync<ReportMade>())!.Url;
        var markdown = await host.Http.GetStringAsync(url + ".md");
        Assert.Contains("Tags: best, lr-sweep", markdown);
        Assert.Contains("> Diverged after the LR warm-up.", markdown);
        Assert.Contains("> &lt;script&gt;", markdown);
        Assert.DoesNotContain("<script>", markdown);
        Assert.DoesNotContain("](javascript:", markdown);
        var page = await host.Http.GetStringAsync(url);
        Assert.Contains("data-role=\"note\"", page);
        Assert.DoesNotContain("<script>alert", page);

        // An empty note removes it.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(host, $"/api/runs/{runId}/note", new { note = "" })).StatusCode);
        Assert.Null((await host.GetJsonAsync<RunDetail>($"/api/runs/{runId}")).Note);
    }

    [Theory]
    [InlineData("{\"tags\": [\"\"]}", "tags[0]")]
    [InlineData("{\"tags\": [\"a\\u0000b\"]}", "tags[0]")]
    [InlineData("{\"tags\": [\"ok\", \"0123456789012345678901234567890123456789x\"]}", "tags[1]")]
    [InlineData("{\"tags\": \"one\"}", "")]
    [InlineData("{}", "tags")]
    public async Task A_tag_list_it_cannot_take_is_a_400_and_leaves_the_tags_as_they_were(string body, string field)
    {
        var (host, runId) = await StartWithRunAsync();
        await using var _ = host;
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(host, $"/api/runs/{runId}/tags", new { tags = new[] { "kept" } })).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/runs/{runId}/tags") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", Key);
        var answer = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(field, await answer.Content.ReadAsStringAsync());
        Assert.Equal(["kept"], (await host.GetJsonAsync<RunDetail>($"/api/runs/{runId}")).Run.Tags);
    }

    [Fact]
    public async Task Labels_for_a_run_that_does_not_exist_are_a_404_and_too_many_tags_a_400()
    {
        var (host, runId) = await StartWithRunAsync();
        await using var _ = host;
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(host, "/api/runs/999/tags", new { tags = new[] { "a" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(host, "/api/runs/999/note", new { note = "a" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(host, $"/api/runs/{runId}/tags", new { tags = Enumerable.Range(0, 21).Select(i => $"t{i}") })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(host, $"/api/runs/{runId}/note", new { note = new string('n', 10_001) })).StatusCode);
    }

    private sealed record ReportMade(string Url);
}
