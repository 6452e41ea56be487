using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dashboard.Agent;
using Dashboard.Api;
using Dashboard.Core.Parsing;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Agent;

/// <summary>An agent on a "training node" (its own folders) and a real web host on loopback, with an API key.</summary>
public sealed class AgentTests
{
    internal const string Key = "agent-test-key-123";

    private static Task<TestHost> StartServerAsync() =>
        TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = Key });

    [Fact]
    public async Task Lines_appended_on_the_node_reach_the_server_as_one_run_named_with_the_node()
    {
        await using var host = await StartServerAsync();
        await using var agent = new TestAgent(host.BaseAddress, Key);
        var (log, run) = await FirstStepsAsync(host, agent, "train.log");
        await TestHost.AppendAsync(log, LogLines.IterRange(1100, 2000));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 2000);

        Assert.Equal(("train", "s4gan"), (run.Name, run.Project));
        await AssertStepsAsync(host, run.Id, 100, 2000);
        Assert.Single(await host.GetJsonAsync<List<RunSummary>>("/api/runs"));
    }

    [Fact]
    public async Task A_batch_sent_again_after_its_answer_was_lost_is_stored_once()
    {
        await using var host = await StartServerAsync();
        using var http = Authorized(host);
        var first = Batch(0, LogLines.IterRange(100, 500));

        var answer = await http.PostAsJsonAsync(AgentEndpoints.BatchesPath, first, AgentBatch.Json);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(first.To, (await answer.Content.ReadFromJsonAsync<AgentEndpoints.SourceStand>(AgentBatch.Json))!.Offset);
        var again = await http.PostAsJsonAsync(AgentEndpoints.BatchesPath, first, AgentBatch.Json);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var run = await host.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, "/train/a.log"));
        await AssertStepsAsync(host, run.Id, 100, 500);
        var position = await http.GetFromJsonAsync<AgentEndpoints.SourceStand>(
            $"{AgentEndpoints.PositionPath}?node={TestAgent.Node}&key=/train/a.log", AgentBatch.Json);
        Assert.Equal(first.To, position!.Offset);
        Assert.Contains("\"LinesSeen\":5", position.ParserState);
    }

    [Fact]
    public async Task A_batch_that_does_not_start_where_the_server_stands_is_refused_with_the_servers_offset()
    {
        await using var host = await StartServerAsync();
        using var http = Authorized(host);
        var first = Batch(0, LogLines.IterRange(100, 500));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync(AgentEndpoints.BatchesPath, first, AgentBatch.Json)).StatusCode);

        var gap = Batch(first.To + 10, LogLines.IterRange(600, 700));
        var answer = await http.PostAsJsonAsync(AgentEndpoints.BatchesPath, gap, AgentBatch.Json);

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Equal(first.To, (await answer.Content.ReadFromJsonAsync<AgentEndpoints.SourceStand>(AgentBatch.Json))!.Offset);
        var run = await host.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, "/train/a.log"));
        await AssertStepsAsync(host, run.Id, 100, 500);
    }

    [Theory]
    [InlineData("node", "gpu:1", "'node'")]
    [InlineData("key", "relative/a.log", "'key'")]
    [InlineData("k", "7", "points.k[0]")]
    [InlineData("parserState", "{\"LinesSeen\":\"many\"}", "'parserState'")]
    [InlineData("events", "300000", "'events'")]
    public async Task A_malformed_batch_is_refused_with_the_field_named_and_nothing_stored(string field, string value, string named)
    {
        await using var host = await StartServerAsync();
        using var http = Authorized(host);
        var batch = Batch(0, LogLines.IterRange(100, 500));
        batch = field switch
        {
            "node" => batch with { Node = value },
            "key" => batch with { Key = value },
            "k" => batch with { Points = batch.Points with { KeyIndex = [int.Parse(value), .. batch.Points.KeyIndex[1..]] } },
            "events" => batch with { Events = [new Dashboard.Core.Records.RunEvent(Dashboard.Core.Records.RunEventKind.Crash, 100, 0, new string('x', int.Parse(value)))] },
            _ => batch with { ParserState = value },
        };

        var answer = await http.PostAsJsonAsync(AgentEndpoints.BatchesPath, batch, AgentBatch.Json);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(named, await answer.Content.ReadAsStringAsync());
        Assert.Empty(await host.GetJsonAsync<List<RunSummary>>("/api/runs"));
    }

    [Fact]
    public async Task A_batch_without_the_key_is_refused_before_its_body_is_read()
    {
        await using var host = await StartServerAsync();
        var answer = await host.Http.PostAsJsonAsync(AgentEndpoints.BatchesPath, Batch(0, LogLines.IterRange(100, 500)), AgentBatch.Json);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task With_the_server_away_the_agent_spools_and_catches_up_with_nothing_lost_or_doubled()
    {
        await using var host = await StartServerAsync();
        await using var agent = new TestAgent(host.BaseAddress, Key);
        var (log, run) = await FirstStepsAsync(host, agent, "away.log");

        await host.StopAsync();
        for (var step = 1100L; step <= 3000; step += 100)
            await TestHost.AppendAsync(log, LogLines.Iter(step, 3.0));
        await TestHost.EventuallyAsync(() => Task.FromResult(agent.Spool.Waiting.Batches), waiting => waiting > 0, "batches waiting in the agent's spool");

        await host.RestartAsync(keepPort: true);
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 3000, 30_000);
        await AssertStepsAsync(host, run.Id, 100, 3000);
        await TestHost.EventuallyAsync(() => Task.FromResult(agent.Spool.Waiting.Batches), waiting => waiting == 0, "an empty spool");
    }

    [Fact]
    public async Task SIGKILL_of_the_agent_mid_ingest_then_restart_stores_every_point_exactly_once()
    {
        await using var host = await StartServerAsync();
        await using var agent = new TestAgent(host.BaseAddress, Key);
        var (log, storedKey) = agent.Log("s4gan", "killed.log");
        const int Lines = 4000;
        agent.StartProcess();
        var written = 0;
        try
        {
            await TestHost.AppendAsync(log, LogLines.IterRange(10, 200, every: 10, total: Lines * 10));
            written = 20;
            await TestHost.EventuallyAsync(async () => (await host.GetJsonAsync<List<RunSummary>>("/api/runs")).Count > 0 || agent.ProcessExited,
                done => done, "the agent process's first batch on the server", 60_000);
            Assert.False(agent.ProcessExited, $"the agent died by itself:\n{agent.ProcessOutput()}");
            while (written < Lines / 2)
            {
                await TestHost.AppendAsync(log, LogLines.IterRange((written + 1) * 10L, (written + 20) * 10L, every: 10, total: Lines * 10));
                written += 20;
                await Task.Delay(2);
            }
        }
        finally
        {
            await agent.KillProcessAsync();
        }
        await TestHost.AppendAsync(log, LogLines.IterRange((written + 1) * 10L, Lines * 10L, every: 10, total: Lines * 10));

        await agent.StartAsync();
        var run = await host.WaitForRunAsync(r => r.Source == storedKey && r.Step == Lines * 10L, 30_000);
        await AssertStepsAsync(host, run.Id, 10, Lines * 10L, every: 10);
    }

    [Fact]
    public async Task SIGKILL_of_the_web_instance_mid_ingest_then_restart_stores_every_point_exactly_once()
    {
        await using var host = await StartServerAsync();
        await using var agent = new TestAgent(host.BaseAddress, Key);
        var (log, run) = await FirstStepsAsync(host, agent, "webkilled.log");
        await host.StopAsync();

        var output = new StringBuilder();
        using var service = host.StartProcess(output, keepAddress: true);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var step = 1000L;
        try
        {
            // The agent's batches reach the process as soon as it listens; the kill lands while the log grows and
            // batches are committed and answered. The deadline counts the process's own start, which took most of a
            // minute while a CI run held the load average near 30 (8-10 s on a quiet machine).
            var deadline = DateTime.UtcNow.AddSeconds(150);
            while (!service.HasExited && await StoredStepAsync(http, run.Id) <= 1000)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"The service process never committed an agent batch. Its output:\n{output}");
                step = await AppendStepsAsync(log, step);
                await Task.Delay(50);
            }
            Assert.False(service.HasExited, $"the service process died by itself:\n{output}");
            for (var i = 0; i < 50; i++)
            {
                step = await AppendStepsAsync(log, step);
                await Task.Delay(2);
            }
        }
        finally
        {
            service.Kill();
            await service.WaitForExitAsync();
        }
        step = await AppendStepsAsync(log, step);

        await host.RestartAsync(keepPort: true);
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == step, 30_000);
        await AssertStepsAsync(host, run.Id, 100, step);
    }

    /// <summary>Appends the next 20 steps (100 apart) after <paramref name="step"/>; returns the last.</summary>
    private static async Task<long> AppendStepsAsync(string log, long step)
    {
        await TestHost.AppendAsync(log, LogLines.IterRange(step + 100, step + 2000));
        return step + 2000;
    }

    private static async Task<long> StoredStepAsync(HttpClient http, long runId)
    {
        try
        {
            return (await http.GetFromJsonAsync<RunDetail>($"/api/runs/{runId}", TestHost.Json))!.Run.Step ?? 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task An_agent_with_an_empty_data_folder_goes_on_where_the_server_stands()
    {
        await using var host = await StartServerAsync();
        await using var agent = new TestAgent(host.BaseAddress, Key);
        var (log, run) = await FirstStepsAsync(host, agent, "moved.log");
        await agent.StopAsync();

        Directory.Delete(agent.DataFolder, recursive: true);
        await TestHost.AppendAsync(log, LogLines.IterRange(1100, 2000));
        await agent.StartAsync();

        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 2000);
        await AssertStepsAsync(host, run.Id, 100, 2000);
    }

    [Fact]
    public async Task A_server_whose_store_is_empty_again_gets_the_logs_again_from_the_start()
    {
        await using var host = await StartServerAsync();
        await using var agent = new TestAgent(host.BaseAddress, Key);
        var (log, _) = await FirstStepsAsync(host, agent, "restored.log");

        // The store is replaced by an empty one (restored from a backup older than the run).
        await host.StopAsync();
        // A new process would hold no connection to the old file: neither may this one's pool.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(host.DataFolder, recursive: true);
        await host.RestartAsync(keepPort: true);
        await TestHost.AppendAsync(log, LogLines.IterRange(1100, 2000));

        var run = await host.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, log) && r.Step == 2000, 30_000);
        await AssertStepsAsync(host, run.Id, 100, 2000);
        await TestHost.EventuallyAsync(() => Task.FromResult(agent.Spool.Waiting.Batches), waiting => waiting == 0, "an empty spool");
    }

    [Theory]
    [InlineData(new[] { "--watch", "/tmp" }, "--server")]
    [InlineData(new[] { "--server", "ftp://x", "--watch", "/tmp" }, "http(s)")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--watch", "/tmp", "--node", "a b" }, "--node")]
    public void Agent_settings_that_cannot_work_stop_it_with_the_flag_named(string[] args, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => AgentHost.Build(args).Dispose());
        Assert.Contains(named, error.Message);
    }

    /// <summary>Starts the agent, writes steps 100..1000 into a log of its node and waits until the server has them.</summary>
    private static async Task<(string Log, RunSummary Run)> FirstStepsAsync(TestHost host, TestAgent agent, string fileName)
    {
        await agent.StartAsync();
        var (log, storedKey) = agent.Log("s4gan", fileName);
        await TestHost.AppendAsync(log, LogLines.IterRange(100, 1000));
        return (log, await host.WaitForRunAsync(r => r.Source == storedKey && r.Step == 1000));
    }

    internal static HttpClient Authorized(TestHost host)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        return http;
    }

    /// <summary>A batch as an agent makes it: the real parser over S4GAN lines, read from byte <paramref name="from"/>.</summary>
    internal static AgentBatch Batch(long from, string text, ParserState? state = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var parser = LogParsers.Create("a.log", bytes, state);
        var records = new Dashboard.Core.Records.ParsedRecords();
        var consumed = parser.Parse(bytes, 1_765_000_000_000, records);
        var source = new Dashboard.Ingestion.SourceIdentity("/train/a.log", "a", "train");
        return AgentBatch.Of(TestAgent.Node, from, new Dashboard.Ingestion.IngestBatch(
            source, [.. records.Points], [.. records.Events], records.TotalSteps, null, from + consumed, parser.State, 0, 1_765_000_000_000));
    }

    /// <summary>The batch that follows <paramref name="previous"/> in the same log.</summary>
    internal static AgentBatch Next(AgentBatch previous, string text) =>
        Batch(previous.To, text, System.Text.Json.JsonSerializer.Deserialize<ParserState>(previous.ParserState));

    internal static async Task AssertStepsAsync(TestHost host, long runId, long first, long last, long every = 100)
    {
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{runId}/metrics/Loss_CE");
        Assert.Equal(Enumerable.Range(0, (int)((last - first) / every) + 1).Select(i => first + i * every), series.Points.Select(p => p.Step));
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{runId}");
        Assert.All(detail.Metrics, m => Assert.Equal(series.Points.Count, m.Count));
    }
}
