using System.Net;
using System.Net.Http.Json;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Ingestion;

/// <summary>One bad value or one batch the store refuses must never stop the writer, nor lose anything else.</summary>
public sealed class WriterQuarantineTests
{
    [Fact]
    public async Task A_point_out_of_range_in_a_log_is_set_aside_and_the_lines_around_it_are_stored()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("bounds", "a.log", LogLines.Iter(100, 1.5), 100);
        await TestHost.AppendAsync(log, "step 9007199254740993 junk: 2\n" + LogLines.Iter(200, 1.25));

        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 200);
        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"), d => d.SetAside.Count == 1, "the point set aside");
        Assert.Equal(1, detail.SetAside[0].Points);
        Assert.Contains("step 9007199254740993", detail.SetAside[0].Reason);
        Assert.DoesNotContain(detail.Metrics, m => m.Key == "junk");
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal([100L, 200L], series.Points.Select(p => p.Step));
        Assert.Contains("data-role=\"set-aside\"", await host.Http.GetStringAsync($"/runs/{run.Id}"));
    }

    [Fact]
    public async Task A_log_writing_a_new_key_on_every_line_keeps_the_first_keys_and_sets_the_rest_aside()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Ingest:MaxMetricsPerRun"] = "50" });
        var lines = string.Concat(Enumerable.Range(1, 200).Select(i => $"{{\"step\": {i}, \"key_{i:000}\": 0.5, \"loss\": {1.0 / i}}}\n"));
        var (_, run) = await host.WriteRunAsync("keys", "many.jsonl", lines, 200);

        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"), d => d.SetAside.Sum(s => s.Points) == 151, "the points of keys past the limit set aside");
        Assert.Equal(50, detail.Metrics.Count);
        Assert.Contains(detail.Metrics, m => m.Key == "loss");
        Assert.Contains("Ingest:MaxMetricsPerRun", detail.SetAside[0].Reason);
        // A metric the run already has keeps every point.
        var loss = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/loss");
        Assert.Equal(200, loss.Points.Count);
        // Another run has its own allowance.
        var (_, other) = await host.WriteRunAsync("keys", "other.jsonl", "{\"step\": 1, \"acc\": 0.5}\n", 1);
        Assert.Contains((await host.GetJsonAsync<RunDetail>($"/api/runs/{other.Id}")).Metrics, m => m.Key == "acc");
    }

    [Fact]
    public async Task A_year_9999_timestamp_keeps_the_lines_values_at_the_time_they_were_read()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("bounds", "ldm.log",
            "2025-08-15 20:41:07,123 [Train Step] 100/1000: train/loss: 0.5, \n9999-12-31 23:59:59,000 [Train Step] 200/1000: train/loss: 0.25, \n", 200);
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/train%2Floss");
        Assert.Equal([100L, 200L], series.Points.Select(p => p.Step));
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(series.Points[1].UnixMs), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task A_batch_that_fails_to_commit_twice_is_set_aside_and_ingestion_goes_on()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("poison", "a.log", LogLines.Iter(100, 1.5), 100);
        // A real store refusal, for this batch only: the store itself aborts any event that names POISON.
        await ExecuteAsync(host, """
            CREATE TRIGGER poison BEFORE INSERT ON run_events WHEN NEW.Message LIKE '%POISON%'
            BEGIN SELECT RAISE(ABORT, 'poisoned by the test'); END;
            """);

        await TestHost.AppendAsync(log, "Traceback (most recent call last): POISON\n");
        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"), d => d.SetAside.Count == 1, "the batch set aside", 20_000);
        Assert.Contains("poisoned by the test", detail.SetAside[0].Reason);
        Assert.Equal(1, detail.SetAside[0].Events);

        // The same log goes on after the batch, and so does every other source.
        await TestHost.AppendAsync(log, LogLines.Iter(200, 1.25));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 200);
        await host.WriteRunAsync("poison", "b.log", LogLines.Iter(300, 1.0), 300);
        var ingest = await host.Http.PostAsJsonAsync("/api/ingest", new { project = "p", run = "after", lines = new[] { "Iter 5/10 | loss: 1.0" } });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
    }

    [Fact]
    public async Task A_wait_on_a_writer_held_up_by_the_store_answers_503_and_the_store_catches_up()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Ingest:WriteTimeoutSeconds"] = "1" });
        await using (var holder = new SqliteConnection($"Data Source={host.StoreFile};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }
            var held = await host.Http.PostAsJsonAsync("/api/ingest", new { project = "p", run = "held", lines = new[] { "Iter 5/10 | loss: 1.0" } });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode);
            Assert.Equal("application/problem+json", held.Content.Headers.ContentType?.MediaType);
            Assert.True(held.Headers.Contains("Retry-After"));
        }
        // Once the store lets go, the queued batch is committed and new requests are answered.
        await host.WaitForRunAsync(r => r.Name == "held" && r.Step == 5, 40_000);
        var next = await host.Http.PostAsJsonAsync("/api/ingest", new { project = "p", run = "held", lines = new[] { "Iter 6/10 | loss: 0.9" } });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_stored_row_no_reader_can_map_is_shown_not_a_500_also_after_a_restart()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("odd", "a.log", LogLines.Iter(100, 1.5), 100);
        // What an older build stored for `unixMs: 9223372036854775807`.
        await ExecuteAsync(host, $"UPDATE runs SET UpdatedAtMs = {long.MaxValue}, StartedAtMs = {-long.MaxValue} WHERE Id = {run.Id}");

        foreach (var url in new[] { "/api/runs", $"/api/runs/{run.Id}", "/", $"/runs/{run.Id}" })
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(url)).StatusCode);

        await host.RestartAsync();
        await TestHost.AppendAsync(log, LogLines.Iter(200, 1.25));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 200);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_status_or_kind_name_no_build_wrote_is_read_as_a_known_one_not_a_500()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("odd", "a.log", LogLines.Iter(100, 1.5) + "Traceback (most recent call last):\n", 100);
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Status == RunStatus.Crashed);
        await ExecuteAsync(host, $"UPDATE runs SET Status = 'Exploded' WHERE Id = {run.Id}; UPDATE run_events SET Kind = 'Bogus' WHERE RunId = {run.Id}");

        foreach (var url in new[] { "/api/runs", $"/api/runs/{run.Id}", "/", $"/runs/{run.Id}", "/alerts" })
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(url)).StatusCode);
        Assert.Equal(RunStatus.Stalled, (await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}")).Run.Status);

        // The writer reads the same rows after a restart and goes on.
        await host.RestartAsync();
        await TestHost.AppendAsync(log, LogLines.Iter(200, 1.25));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 200);
    }

    private static async Task ExecuteAsync(TestHost host, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={host.StoreFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
