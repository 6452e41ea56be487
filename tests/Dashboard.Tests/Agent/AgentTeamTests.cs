using System.Net;
using System.Net.Http.Json;
using Dashboard.Agent;
using Dashboard.Api;
using Dashboard.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Agent;

/// <summary>An agent's batches with two web instances on one PostgreSQL store and one Redis.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AgentTeamTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private async Task<TwoInstances> StartTwoAsync()
    {
        string[] shared = ["--store", await postgres.CreateDatabaseAsync(), "--redis", redis.Address, "--api-key", AgentTests.Key];
        return new TwoInstances(await TestHost.StartAsync(extraArguments: shared), await TestHost.StartAsync(extraArguments: shared));
    }

    /// <summary>Two web instances on one store, each with a client that presents the key.</summary>
    private sealed class TwoInstances(TestHost a, TestHost b) : IAsyncDisposable
    {
        public TestHost A => a;
        public TestHost B => b;
        public HttpClient ToA { get; } = AgentTests.Authorized(a);
        public HttpClient ToB { get; } = AgentTests.Authorized(b);

        public async ValueTask DisposeAsync()
        {
            ToA.Dispose();
            ToB.Dispose();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private static async Task SendAsync(HttpClient http, AgentBatch batch) =>
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync(AgentEndpoints.BatchesPath, batch, AgentBatch.Json)).StatusCode);

    [Fact]
    public async Task A_line_appended_on_the_node_reaches_a_hub_client_of_the_other_instance()
    {
        await using var two = await StartTwoAsync();
        var (a, b) = (two.A, two.B);
        await using var agent = new TestAgent(a.BaseAddress, AgentTests.Key);
        await agent.StartAsync();
        var (log, storedKey) = agent.Log("team", "live.log");
        await TestHost.AppendAsync(log, LogLines.Iter(100, 4));
        var run = await b.WaitForRunAsync(r => r.Source == storedKey && r.Step == 100);

        await using var client = await LiveHubClient.ConnectAsync(b.BaseAddress);
        await client.InvokeAsync("Subscribe", run.Id);
        await TestHost.AppendAsync(log, LogLines.Iter(200, 3.5));

        var points = await client.NextAsync("points", m => m.Body.GetProperty("points").GetProperty("Loss_CE")[0][0].GetInt64() == 200, TimeSpan.FromSeconds(10));
        Assert.Equal(3.5, points.Body.GetProperty("points").GetProperty("Loss_CE")[0][1].GetDouble());
    }

    [Fact]
    public async Task Batches_moved_between_instances_are_each_stored_once()
    {
        await using var two = await StartTwoAsync();
        var (a, b, toA, toB) = (two.A, two.B, two.ToA, two.ToB);
        var first = AgentTests.Batch(0, LogLines.IterRange(100, 500));
        var second = AgentTests.Next(first, LogLines.IterRange(600, 1000) + "✓ New best validation mIoU: 0.3500\n");
        var third = AgentTests.Next(second, LogLines.IterRange(1100, 1500));

        // A caches the source after the first batch; B commits the second; A must see that for the third,
        // and both refuse nothing when the second comes again (its answer lost) to the other one.
        foreach (var (http, batch) in new[] { (toA, first), (toB, second), (toA, second), (toA, third), (toB, third) })
            await SendAsync(http, batch);

        var run = await b.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, "/train/a.log") && r.Step == 1500);
        await AgentTests.AssertStepsAsync(b, run.Id, 100, 1500);
        var database = b.StoreDatabase();
        await using var db = new DashboardDbContext(database.Configure(new DbContextOptionsBuilder<DashboardDbContext>()).Options);
        Assert.Equal(1, await db.RunEvents.CountAsync(e => e.RunId == run.Id && e.Message.Contains("New best")));
    }

    [Fact]
    public async Task A_run_moved_to_the_other_instance_keeps_its_open_alert_and_that_instance_resolves_it()
    {
        await using var two = await StartTwoAsync();
        var (a, b, toA, toB) = (two.A, two.B, two.ToA, two.ToB);
        var healthy = AgentTests.Batch(0, Alerts.AlertLog.Lines(100, 500, _ => 0.4));
        var nan = AgentTests.Next(healthy, Alerts.AlertLog.Lines(600, 700, _ => double.NaN));
        var recovered = AgentTests.Next(nan, Alerts.AlertLog.Lines(800, 900, s => s == 800 ? double.NaN : 0.4));
        await SendAsync(toA, healthy);
        await SendAsync(toA, nan);
        var run = await a.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, "/train/a.log"));
        await TestHost.EventuallyAsync(() => NonFiniteAsync(a, run.Id), alerts => alerts.Any(x => x.Active), "the NaN alert raised by the first instance");

        // The agent's batches now go to the other instance (the first one's proxy route moved).
        await SendAsync(toB, recovered);

        // The second instance rebuilds the run's rules from the store on their low-priority thread (Alerts:Niceness): the
        // whole test takes 4 s here, but this wait ran past 10 s once in a CI run at load average 25 (a nice-10 thread gets
        // about 1% of a core there).
        var alerts = await TestHost.EventuallyAsync(() => NonFiniteAsync(b, run.Id), all => all.All(x => !x.Active), "the NaN alert resolved by the second instance", timeoutMs: 45_000);
        var alert = Assert.Single(alerts);
        Assert.Equal(("Loss_D", 600L, 900L), (alert.Metric, alert.FirstStep!.Value, alert.LastStep!.Value));
    }

    [Fact]
    public async Task Points_for_a_run_the_other_instance_made_are_stored_not_skipped()
    {
        await using var two = await StartTwoAsync();
        var (a, b) = (two.A, two.B);
        // B's writer loads the runs it knows before A makes this one (B commits a run of its own first).
        await SendAsync(two.ToB, AgentTests.Batch(0, LogLines.IterRange(100, 200)) with { Key = "/train/b.log" });
        await b.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, "/train/b.log"));
        await SendAsync(two.ToA, AgentTests.Batch(0, LogLines.IterRange(100, 500)));
        var run = await b.WaitForRunAsync(r => r.Source == AgentBatch.StoredKey(TestAgent.Node, "/train/a.log") && r.Step == 500);

        // What a job on B writes into that run (its evaluator's metrics).
        await b.Services.GetRequiredService<Dashboard.Ingestion.IngestWriter>().SubmitRunPointsAsync(
            run.Id, [new Dashboard.Core.Records.MetricPoint("val/mIoU", 500, 0.42, 1_765_000_000_000)], CancellationToken.None);

        var metrics = await a.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(0.42, Assert.Single(metrics.Metrics, m => m.Key == "val/mIoU").Last.Value);
    }

    private static async Task<List<Dashboard.Alerts.AlertView>> NonFiniteAsync(TestHost host, long runId) =>
        [.. (await host.GetJsonAsync<List<Dashboard.Alerts.AlertView>>($"/api/runs/{runId}/alerts")).Where(x => x.RuleId == "loss-nonfinite")];
}
