using System.Net;
using System.Net.Http.Json;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Tests.Agent;
using Dashboard.Tests.Jobs;
using Dashboard.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Worker;

/// <summary>
/// A GPU worker on a training node: a web instance on PostgreSQL, that node's agent shipping a run with a
/// checkpoint, and <c>Dashboard worker --node</c> as a process of its own running the node's jobs.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerTests(PostgresServer postgres)
{
    private const string Node = TestAgent.Node;

    private sealed class Team(TestHost web, TestAgent agent, TestWorker worker, HttpClient writer) : IAsyncDisposable
    {
        public TestHost Web => web;
        public TestAgent Agent => agent;
        public TestWorker Worker => worker;
        public HttpClient Writer => writer;

        public async ValueTask DisposeAsync()
        {
            writer.Dispose();
            await worker.DisposeAsync();
            await agent.DisposeAsync();
            await web.DisposeAsync();
        }
    }

    private async Task<Team> StartAsync(params string[] webArguments)
    {
        var store = await postgres.CreateDatabaseAsync();
        var web = await TestHost.StartAsync(extraArguments: ["--store", store, "--api-key", AgentTests.Key, .. webArguments]);
        var agent = new TestAgent(web.BaseAddress, AgentTests.Key);
        await agent.StartAsync();
        return new Team(web, agent, new TestWorker(store, Node), AgentTests.Authorized(web));
    }

    /// <summary>A run shipped by the agent with one checkpoint whose text tells the stand-in evaluator what to do.</summary>
    private static async Task<(long RunId, CheckpointView Checkpoint)> RunWithCheckpointAsync(Team team, string instruction)
    {
        var (log, storedKey) = team.Agent.Log("seg", "train.log");
        await TestHost.AppendAsync(log, LogLines.IterRange(100, 500));
        var run = await team.Web.WaitForRunAsync(r => r.Source == storedKey && r.Step == 500, 20_000);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(log)!, "checkpoint_500.pth"), instruction);
        var list = await TestHost.EventuallyAsync(
            () => team.Web.GetJsonAsync<List<CheckpointView>>($"/api/runs/{run.Id}/checkpoints"),
            l => l.Count == 1, "the node's checkpoint listed", 20_000);
        return (run.Id, list[0]);
    }

    /// <summary>Starts the worker process and waits until its Hangfire server is the <paramref name="count"/>th on the node's first queue.</summary>
    private static Task StartWorkerAsync(Team team, int count = 1)
    {
        team.Worker.Start();
        return WaitForServersAsync(team, count);
    }

    /// <summary>Until this many Hangfire servers (live or not yet timed out) listen to the node's first queue.</summary>
    private static Task WaitForServersAsync(Team team, int count) =>
        TestHost.EventuallyAsync(
            () => Task.FromResult(team.Web.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers()
                .Count(s => s.Queues.Contains(JobQueueNames.OfNode(Node, 0)))),
            n => n >= count, $"{count} worker server(s) on the node's queue", 60_000);

    /// <summary>With the worker's output in the message when it did not.</summary>
    private static void AssertSucceeded(Team team, JobView job) =>
        Assert.True(job.Status == JobStatus.Succeeded, $"{job.Status}: {job.Reason}\n{team.Worker.Output()}");

    private static async Task<long> StartJobAsync(Team team, long runId, string checkpoint)
    {
        var response = await team.Writer.PostAsJsonAsync($"/api/runs/{runId}/jobs", new { kind = "evaluate", checkpoint });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Dashboard.Api.JobsEndpoints.JobAccepted>(TestHost.Json))!.Id;
    }

    [Fact]
    public async Task A_job_on_a_nodes_checkpoint_runs_on_that_nodes_worker_and_any_instance_serves_its_results()
    {
        await using var team = await StartAsync();
        var (runId, checkpoint) = await RunWithCheckpointAsync(team, "ok");
        Assert.Equal(Node, checkpoint.Node);
        Assert.Null(checkpoint.SizeBytes);
        await StartWorkerAsync(team);

        var id = await StartJobAsync(team, runId, checkpoint.Path);
        var job = await JobsHarness.FinishedAsync(team.Web, id, 60_000);

        AssertSucceeded(team, job);
        Assert.Equal(JobQueueNames.OfNode(Node, 0), job.Queue);
        Assert.Equal("0", job.Slot);
        var series = await JobsHarness.SeriesAsync(team.Web, runId, "val/mIoU");
        Assert.Equal([500L], series.Points.Select(p => p.Step));
        // The images were written on the worker's disk; the web instance serves them from the store.
        var image = await team.Web.Http.GetAsync(Assert.Single(job.Samples).Generated);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(0x89, (await image.Content.ReadAsByteArrayAsync())[0]);
    }

    [Fact]
    public async Task SIGKILL_of_the_worker_mid_job_leaves_it_interrupted_and_it_runs_once_more_on_a_worker()
    {
        await using var team = await StartAsync();
        var (runId, checkpoint) = await RunWithCheckpointAsync(team, "slow 4");
        await StartWorkerAsync(team);
        var id = await StartJobAsync(team, runId, checkpoint.Path);
        await JobsHarness.WaitAsync(team.Web, id, j => j.Progress is { Done: > 0 }, "under way on the worker", 60_000);

        await team.Worker.KillAsync();
        Assert.Equal(JobStatus.Running, (await team.Web.GetJsonAsync<JobView>($"/api/jobs/{id}")).Status);
        await StartWorkerAsync(team, 2);

        var job = await JobsHarness.FinishedAsync(team.Web, id, 60_000);
        AssertSucceeded(team, job);
        Assert.Equal(2, job.Attempts);
        Assert.Contains(job.Output, l => l.Contains("previous attempt was interrupted", StringComparison.Ordinal));
        Assert.Equal([500L], (await JobsHarness.SeriesAsync(team.Web, runId, "val/mIoU")).Points.Select(p => p.Step));
    }

    [Fact]
    public async Task An_automatic_policy_on_a_nodes_folder_evaluates_its_new_checkpoints_on_its_worker()
    {
        // A folder above the agent's watch folder, as the web instance knows it: on the node, never opened here.
        var root = Path.TrimEndingDirectorySeparator(Path.GetTempPath());
        await using var team = await StartAsync("--Jobs:Auto:0:Kind=evaluate", "--Jobs:Auto:0:When=every", $"--Jobs:Auto:0:Root={Node}:{root}");
        Assert.StartsWith(root, team.Agent.WatchFolder);
        await StartWorkerAsync(team);

        var (runId, checkpoint) = await RunWithCheckpointAsync(team, "ok");

        var listed = await TestHost.EventuallyAsync(
            () => team.Web.GetJsonAsync<List<CheckpointView>>($"/api/runs/{runId}/checkpoints"),
            l => l.Single().Jobs.Count == 1, "an automatic job on the node's checkpoint", 30_000);
        var job = await JobsHarness.FinishedAsync(team.Web, listed.Single().Jobs[0].Id, 60_000);
        AssertSucceeded(team, job);
        Assert.Equal("auto", job.Origin);
        Assert.Equal(JobQueueNames.OfNode(Node, 0), job.Queue);
        Assert.Equal(checkpoint.Path, job.Checkpoint);
    }

    [Fact]
    public async Task Cancel_on_a_web_instance_stops_the_job_running_on_the_worker()
    {
        await using var team = await StartAsync();
        var (runId, checkpoint) = await RunWithCheckpointAsync(team, "hang");
        await StartWorkerAsync(team);
        var id = await StartJobAsync(team, runId, checkpoint.Path);
        await JobsHarness.WaitAsync(team.Web, id, j => j.Output.Contains("0/50"), "printing on the worker", 60_000);

        Assert.Equal(HttpStatusCode.OK, (await team.Writer.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode);

        var job = await JobsHarness.FinishedAsync(team.Web, id, 15_000);
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Equal("cancelled while running (process killed)", job.Reason);
    }
}
