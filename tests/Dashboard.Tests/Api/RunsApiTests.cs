using System.Net;
using System.Text.Json;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

public sealed class RunsApiTests
{
    [Fact]
    public async Task Downsampled_read_keeps_a_single_spike_and_a_NaN()
    {
        await using var host = await TestHost.StartAsync();
        var log = host.LogPath("p", "long.log");
        var lines = new System.Text.StringBuilder();
        for (var step = 1; step <= 20_000; step++)
        {
            var value = step == 12_345 ? "1000.0" : step == 7_777 ? "nan" : (1.0 + step % 7 * 0.01).ToString(System.Globalization.CultureInfo.InvariantCulture);
            lines.Append($"Iter {step}/20000 | loss: {value}\n");
        }
        await TestHost.AppendAsync(log, lines.ToString());
        var run = await host.WaitForRunAsync(r => r.Step == 20_000, 30_000);

        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/loss?maxPoints=200");
        Assert.InRange(series.Points.Count, 100, 200);
        Assert.Contains(series.Points, p => p.Step == 12_345 && p.Value == 1000.0);
        Assert.Contains(series.Points, p => p.Step == 7_777 && double.IsNaN(p.Value));
        Assert.Equal(series.Points.OrderBy(p => p.Step).Select(p => p.Step), series.Points.Select(p => p.Step));

        var tail = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/loss?fromStep=19990");
        Assert.Equal(Enumerable.Range(19_990, 11).Select(s => (long)s), tail.Points.Select(p => p.Step));

        // A zoomed chart's read: the range only, both ends included, in full detail when it fits.
        var zoomed = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/loss?fromStep=12300&toStep=12400&maxPoints=200");
        Assert.Equal(Enumerable.Range(12_300, 101).Select(s => (long)s), zoomed.Points.Select(p => p.Step));
        Assert.Equal(1000.0, zoomed.Points.Max(p => p.Value));
    }

    [Theory]
    [InlineData("/api/runs/999999", 404, "Run not found")]
    [InlineData("/api/runs/999999/metrics", 404, "Run not found")]
    [InlineData("/api/runs/1/metrics/Loss_CE?maxPoints=0", 400, "Invalid maxPoints")]
    [InlineData("/api/runs/1/metrics/Loss_CE?maxPoints=abc", 400, null)]
    [InlineData("/api/runs/1/metrics/Loss_CE?fromStep=%27%3B--", 400, null)]
    [InlineData("/api/runs/1/metrics/Loss_CE?fromStep=50&toStep=49", 400, "Invalid step range")]
    [InlineData("/api/runs/1/metrics/no%2Fsuch%3Cmetric%3E", 404, "Metric not found")]
    public async Task Bad_requests_get_problem_details_not_500(string url, int status, string? title)
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.AppendAsync(host.LogPath("p", "a.log"), LogLines.Iter(100, 4));
        await host.WaitForRunAsync(r => r.Id == 1);

        var response = await host.Http.GetAsync(url);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (title is not null)
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task Metric_keys_with_slashes_are_reached_encoded_or_plain()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.AppendAsync(host.LogPath("p", "slash.log"), "2025-08-15 20:41:07,123 [Train Step] 100/1000: train/total_loss: 1.5, lr: 0.1, \n");
        var run = await host.WaitForRunAsync(r => r.Step == 100);
        var encoded = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/train%2Ftotal_loss");
        var plain = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/train/total_loss");
        Assert.Equal("train/total_loss", encoded.Key);
        Assert.Equal(encoded.Points, plain.Points);
    }

    [Fact]
    public async Task Runs_list_uses_lowercase_status_and_iso_times()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.AppendAsync(host.LogPath("p", "a.log"), LogLines.Iter(100, 4, total: 100));
        await host.WaitForRunAsync(r => r.Step == 100);
        using var runs = JsonDocument.Parse(await host.Http.GetStringAsync("/api/runs"));
        var run = runs.RootElement[0];
        Assert.Equal("finished", run.GetProperty("status").GetString());
        Assert.EndsWith("+00:00", run.GetProperty("updatedAt").GetString());
        Assert.Equal(100, run.GetProperty("totalSteps").GetInt64());
    }

    [Fact]
    public async Task OpenAPI_document_describes_the_runs_api()
    {
        await using var host = await TestHost.StartAsync();
        var response = await host.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/runs", out _));
        Assert.True(paths.TryGetProperty("/api/runs/{id}/metrics/{key}", out _));
    }
}
