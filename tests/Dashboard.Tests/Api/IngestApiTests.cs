using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

public sealed class IngestApiTests
{
    private const string Key = "test-key-0123456789";

    [Fact]
    public async Task With_an_api_key_configured_ingest_needs_it()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = Key });
        var body = new { project = "remote", run = "agent-1", lines = new[] { LogLines.Iter(100, 4).TrimEnd() } };

        var anonymous = await host.Http.PostAsJsonAsync("/api/ingest", body);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = JsonContent.Create(body) };
        wrong.Headers.Add("X-Api-Key", Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(wrong)).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = JsonContent.Create(body) };
        bearer.Headers.Authorization = new("Bearer", Key);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(bearer)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Post, "/api/ingest")
        {
            Content = JsonContent.Create(new { project = "remote", run = "agent-1", lines = new[] { LogLines.Iter(200, 3).TrimEnd() } }),
        };
        header.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(header)).StatusCode);

        Assert.Equal(200, (await host.WaitForRunAsync(r => r.Name == "agent-1")).Step);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task Lines_and_points_are_stored_when_the_request_returns()
    {
        await using var host = await TestHost.StartAsync();
        var lines = new[]
        {
            "Iter 500/50000 | Loss_CE: 2.470 | Loss_D: 0.184",
            "Evaluating at iteration 500...",
            "Training mIoU: 0.3523",
        };
        var first = await host.Http.PostAsJsonAsync("/api/ingest", new { project = "remote", run = "r", lines });
        first.EnsureSuccessStatusCode();
        using var result = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var runId = result.RootElement.GetProperty("runId").GetInt64();
        Assert.Equal(3, result.RootElement.GetProperty("points").GetInt32());

        // The evaluation block continues in the next request and still belongs to iteration 500.
        var second = await host.Http.PostAsync("/api/ingest", new StringContent(
            """{"project":"remote","run":"r","lines":["Validation mIoU: 0.3201"],"points":[{"key":"eval/loss","step":500,"value":"NaN"}]}""",
            Encoding.UTF8, "application/json"));
        second.EnsureSuccessStatusCode();

        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{runId}");
        Assert.Equal("remote", detail.Run.Project);
        Assert.Equal(new StepValue(500, 0.3201), detail.Metrics.Single(m => m.Key == "val/mIoU").Last);
        Assert.True(double.IsNaN(detail.Metrics.Single(m => m.Key == "eval/loss").Last.Value));
    }

    [Theory]
    [InlineData("{not json", null)]
    [InlineData("""{"project":"p","run":"r"}""", "Send 'lines'")]
    [InlineData("""{"project":"","run":"r","lines":["x"]}""", "'project' must be")]
    [InlineData("""{"project":"p\u0000","run":"r","lines":["x"]}""", "'project' must be")]
    [InlineData("""{"project":"p","run":"r","points":[{"key":"","step":1,"value":1}]}""", "points[0].key: needs 1 to")]
    [InlineData("""{"project":"p","run":"r","points":[{"key":"k","step":1,"value":"lots"}]}""", null)]
    public async Task Malformed_requests_get_400_problem_details_and_store_nothing(string json, string? detail)
    {
        await using var host = await TestHost.StartAsync();
        var response = await host.Http.PostAsync("/api/ingest", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (detail is not null)
            Assert.Contains(detail, await response.Content.ReadAsStringAsync());
        Assert.Empty(await host.GetJsonAsync<List<RunSummary>>("/api/runs"));
    }
}
