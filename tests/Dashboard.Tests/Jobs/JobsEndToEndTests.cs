using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Jobs;

public sealed class JobsEndToEndTests
{
    [Fact]
    public async Task Evaluation_metrics_become_points_at_the_checkpoint_step_and_images_a_gallery()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings(slots: "3"));
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_5000.pth", "ok");
        Assert.Equal(5000, checkpoint.Step);

        var id = await JobsHarness.StartAsync(host, runId, checkpoint.Name);
        var job = await JobsHarness.FinishedAsync(host, id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(0, job.ExitCode);
        Assert.Equal("gpu0", job.Queue);
        Assert.Equal("3", job.Slot);
        Assert.Equal(1, job.Attempts);
        Assert.Equal(new(50, 50), job.Progress);
        Assert.Contains("done", job.Output);
        Assert.Equal(5000, job.ResultStep);
        Assert.Equal(0.55, job.Metrics!["val/mIoU"], 6);
        var series = await JobsHarness.SeriesAsync(host, runId, "val/mIoU");
        Assert.Equal([5000L], series.Points.Select(p => p.Step));
        Assert.Equal(0.55, series.Points[0].Value, 6);
        Assert.Equal(500, (await host.GetJsonAsync<List<RunSummary>>("/api/runs")).Single(r => r.Id == runId).Step);

        var run = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(host.DataFolder, "jobs", id.ToString(), "run.json"))).RootElement;
        Assert.Equal("3", run.GetProperty("slot").GetString());
        Assert.Equal(folder, run.GetProperty("cwd").GetString());

        var sample = Assert.Single(job.Samples);
        Assert.Equal($"/api/jobs/{id}/files/0_gt.png", sample.GroundTruth);
        var image = await host.Http.GetAsync(sample.Generated);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0x89, (await image.Content.ReadAsByteArrayAsync())[0]);

        var listed = (await host.GetJsonAsync<List<CheckpointView>>($"/api/runs/{runId}/checkpoints")).Single(c => c.Name == "checkpoint_5000.pth");
        Assert.Equal([new CheckpointJobView(id, JobKind.Evaluate, JobStatus.Succeeded)], listed.Jobs);
    }

    [Fact]
    public async Task An_older_checkpoint_evaluated_last_is_placed_at_its_step_without_dropping_later_points()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var late = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_9000.pth", "ok");
        var early = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_3000.pth", "ok");

        await JobsHarness.FinishedAsync(host, await JobsHarness.StartAsync(host, runId, late.Path));
        await JobsHarness.FinishedAsync(host, await JobsHarness.StartAsync(host, runId, early.Path));

        var series = await JobsHarness.SeriesAsync(host, runId, "val/mIoU");
        Assert.Equal([3000L, 9000L], series.Points.Select(p => p.Step));
    }

    [Theory]
    [InlineData("crash", "exited with code 1", "RuntimeError: CUDA error", 120)]
    [InlineData("nonzero", "exited with code 3", "evaluation failed on purpose", 120)]
    [InlineData("garbage", "bad output: metrics.json is not JSON", "50/50", 120)]
    [InlineData("badpng", "bad output: 1_gen.png is not a PNG image", "done", 120)]
    // The timeout covers the good job after it too: long enough for Python to start on a busy machine
    // (6 s was not, once, with the whole suite running on 2 cores).
    [InlineData("hang", "timed out after 12 s (Jobs:TimeoutMinutes); process killed", "0/50", 12)]
    public async Task A_bad_evaluator_fails_its_job_with_the_reason_and_frees_the_slot(string mode, string reason, string outputLine, int timeoutSeconds)
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings(timeoutMinutes: timeoutSeconds / 60.0));
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var bad = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_1000.pth", mode);
        var good = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_2000.pth", "ok");

        var failed = await JobsHarness.FinishedAsync(host, await JobsHarness.StartAsync(host, runId, bad.Path));
        var next = await JobsHarness.FinishedAsync(host, await JobsHarness.StartAsync(host, runId, good.Path));

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.StartsWith(reason, failed.Reason);
        Assert.Contains(failed.Output, l => l.Contains(outputLine, StringComparison.Ordinal));
        Assert.Equal(JobStatus.Succeeded, next.Status);
        Assert.Equal([2000L], (await JobsHarness.SeriesAsync(host, runId, "val/mIoU")).Points.Select(p => p.Step));
    }

    [Fact]
    public async Task Two_jobs_on_one_gpu_slot_run_one_after_the_other()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings(slots: "7"));
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var a = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_1000.pth", "slow 1.5");
        var b = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_2000.pth", "slow 1.5");

        var first = await JobsHarness.StartAsync(host, runId, a.Path);
        var second = await JobsHarness.StartAsync(host, runId, b.Path, "sample");
        await JobsHarness.WaitAsync(host, first, j => j.Status == JobStatus.Running, "running");
        Assert.Equal(JobStatus.Queued, (await host.GetJsonAsync<JobView>($"/api/jobs/{second}")).Status);

        var jobs = new[] { await JobsHarness.FinishedAsync(host, first), await JobsHarness.FinishedAsync(host, second) };
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.All(jobs, j => Assert.Equal("7", j.Slot));
        var runs = jobs.Select(j => JsonDocument.Parse(File.ReadAllText(Path.Combine(host.DataFolder, "jobs", j.Id.ToString(), "run.json"))).RootElement).ToArray();
        Assert.True(runs[1].GetProperty("start").GetDouble() >= runs[0].GetProperty("end").GetDouble(), "the second job started before the first ended");
    }

    [Fact]
    public async Task A_checkpoint_name_with_spaces_and_shell_characters_reaches_the_evaluator_as_one_argument()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        await File.WriteAllTextAsync(Path.Combine(folder, "x"), "must survive");
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "; rm -rf x $(id).pth", "ok");

        var job = await JobsHarness.FinishedAsync(host, await JobsHarness.StartAsync(host, runId, checkpoint.Path));

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Null(checkpoint.Step);
        Assert.Equal(700, job.ResultStep);
        var argv = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(Path.Combine(host.DataFolder, "jobs", job.Id.ToString(), "argv.json")))!;
        Assert.Equal(Path.Combine(folder, "; rm -rf x $(id).pth"), argv[0]);
        Assert.Equal(3, argv.Length);
        Assert.True(File.Exists(Path.Combine(folder, "x")));
    }

    [Fact]
    public async Task A_job_running_when_the_service_stops_is_interrupted_and_retried_once_after_the_restart()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_4000.pth", "slow 3");
        var queuedBehind = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_4500.pth", "ok");
        var id = await JobsHarness.StartAsync(host, runId, checkpoint.Path);
        var waiting = await JobsHarness.StartAsync(host, runId, queuedBehind.Path);
        await JobsHarness.WaitAsync(host, id, j => j.Progress is { Done: > 0 }, "under way");

        await host.RestartAsync();

        var job = await JobsHarness.FinishedAsync(host, id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Contains(job.Output, l => l.Contains("previous attempt was interrupted", StringComparison.Ordinal));
        Assert.Equal(JobStatus.Succeeded, (await JobsHarness.FinishedAsync(host, waiting)).Status);
        Assert.Equal([4000L, 4500L], (await JobsHarness.SeriesAsync(host, runId, "val/mIoU")).Points.Select(p => p.Step));
    }

    [Fact]
    public async Task Cancel_takes_a_queued_job_off_the_queue_and_kills_a_running_one_and_retry_queues_it_again()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_6000.pth", "hang");
        var id = await JobsHarness.StartAsync(host, runId, checkpoint.Path);
        var behind = await JobsHarness.StartAsync(host, runId, checkpoint.Path, "sample");
        await JobsHarness.WaitAsync(host, id, j => j.Output.Contains("0/50"), "printing");

        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync($"/api/jobs/{behind}/cancel", null)).StatusCode);
        var neverStarted = await JobsHarness.FinishedAsync(host, behind, 5000);
        Assert.Equal(JobStatus.Cancelled, neverStarted.Status);
        Assert.Equal("cancelled before it started", neverStarted.Reason);
        Assert.Equal(0, neverStarted.Attempts);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode);
        var cancelled = await JobsHarness.FinishedAsync(host, id, 5000);
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Http.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode);

        await File.WriteAllTextAsync(Path.Combine(folder, checkpoint.Path), "ok");
        var retry = await host.Http.PostAsync($"/api/jobs/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var again = await retry.Content.ReadFromJsonAsync<Dashboard.Api.JobsEndpoints.JobAccepted>(TestHost.Json);
        Assert.Equal(JobStatus.Succeeded, (await JobsHarness.FinishedAsync(host, again!.Id)).Status);
    }
}
