using System.Net;
using System.Net.Http.Json;
using Dashboard.Core.Records;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Tests.Jobs;

/// <summary>A checkpoint is a file whose real path is inside its run's folder tree; nothing a log line, a link or a request names elsewhere.</summary>
public sealed class CheckpointContainmentTests
{
    [Fact]
    public async Task Host_files_named_by_log_lines_or_reached_through_links_are_not_listed_not_runnable_and_not_auto_started()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-contain-").FullName;
        var outside = Directory.CreateTempSubdirectory("dashboard-outside-").FullName;
        try
        {
            var secret = Path.Combine(outside, "secret.pth");
            await File.WriteAllTextAsync(secret, "ok SECRET-CONTENT");
            Directory.CreateDirectory(Path.Combine(outside, "deep"));
            await File.WriteAllTextAsync(Path.Combine(outside, "deep", "iter_200.pth"), "ok SECRET-CONTENT");
            var settings = JobsHarness.Settings();
            settings["Watch:Roots:1"] = root;
            settings["Jobs:Auto:0:Root"] = root;
            settings["Jobs:Auto:0:Kind"] = "evaluate";
            settings["Jobs:Auto:0:When"] = "every";
            await using var host = await TestHost.StartAsync(settings);
            var folder = Directory.CreateDirectory(Path.Combine(root, "seg")).FullName;
            File.CreateSymbolicLink(Path.Combine(folder, "link.pth"), secret);
            Directory.CreateDirectory(Path.Combine(folder, "a"));
            // Two levels down, so only the log line below names it (the scanner looks one level down).
            Directory.CreateSymbolicLink(Path.Combine(folder, "a", "b"), Path.Combine(outside, "deep"));
            var traversal = Path.GetRelativePath(folder, secret);
            var log = Path.Combine(folder, "train.log");
            await TestHost.AppendAsync(log, LogLines.IterRange(100, 300)
                + $"Checkpoint saved: {traversal}\nCheckpoint saved: /etc/passwd\nCheckpoint saved: {Path.Combine("a", "b", "iter_200.pth")}\n");
            var runId = (await host.WaitForRunAsync(r => r.Source == log && r.Step == 300)).Id;
            // The hostile events are in the store (the scanner's for the link too) before the real checkpoint appears.
            await TestHost.EventuallyAsync(() => CheckpointMessagesAsync(host, runId),
                m => m.Count(x => x.Contains(traversal) || x.Contains("/etc/passwd") || x.Contains("iter_200")) == 3 && m.Contains("Checkpoint saved: link.pth"),
                "the hostile checkpoint events stored");

            await File.WriteAllTextAsync(Path.Combine(folder, "checkpoint_800.pth"), "ok");
            var jobs = await TestHost.EventuallyAsync(() => host.GetJsonAsync<List<JobView>>($"/api/runs/{runId}/jobs"), l => l.Count >= 1, "the automatic job");
            Assert.Equal(JobStatus.Succeeded, (await JobsHarness.FinishedAsync(host, jobs[0].Id)).Status);

            var job = Assert.Single(await host.GetJsonAsync<List<JobView>>($"/api/runs/{runId}/jobs"));
            Assert.Equal("checkpoint_800.pth", job.Checkpoint);
            var listed = Assert.Single(await host.GetJsonAsync<List<CheckpointView>>($"/api/runs/{runId}/checkpoints"));
            Assert.Equal("checkpoint_800.pth", listed.Path);
            foreach (var url in new[] { $"/api/runs/{runId}/checkpoints", $"/api/runs/{runId}/jobs", $"/api/jobs/{job.Id}" })
                Assert.DoesNotContain(root, await host.Http.GetStringAsync(url));
            foreach (var named in new[] { traversal, "/etc/passwd", "link.pth", Path.Combine("a", "b", "iter_200.pth"), secret, "iter_200.pth", "secret.pth" })
            {
                var response = await host.Http.PostAsJsonAsync($"/api/runs/{runId}/jobs", new { kind = "evaluate", checkpoint = named });
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            Assert.Single(await host.GetJsonAsync<List<JobView>>("/api/jobs"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_sent_through_the_ingest_api_has_no_checkpoints_on_this_machine()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (_, folder) = await JobsHarness.RunAsync(host);
        var real = Path.Combine(folder, "checkpoint_100.pth");
        await File.WriteAllTextAsync(real, "ok");
        var lines = new[] { LogLines.Iter(100, 4).TrimEnd(), $"Checkpoint saved: {real}", "Checkpoint saved: ../../../../../../etc/passwd.pth" };

        // The ingest answer comes once its lines are committed.
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsJsonAsync("/api/ingest", new { project = "remote", run = "agent-1", lines })).StatusCode);
        var run = await host.WaitForRunAsync(r => r.Name == "agent-1");
        Assert.Equal(2, (await CheckpointMessagesAsync(host, run.Id)).Count);

        Assert.Empty(await host.GetJsonAsync<List<CheckpointView>>($"/api/runs/{run.Id}/checkpoints"));
        var response = await host.Http.PostAsJsonAsync($"/api/runs/{run.Id}/jobs", new { kind = "evaluate", checkpoint = "checkpoint_100.pth" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_queued_job_whose_checkpoint_became_a_link_out_of_the_run_folder_fails_without_running()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var busy = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_100.pth", "hang");
        var later = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_200.pth", "ok");
        var first = await JobsHarness.StartAsync(host, runId, busy.Path);
        await JobsHarness.WaitAsync(host, first, j => j.Output.Contains("0/50"), "holding the only slot");
        var queued = await JobsHarness.StartAsync(host, runId, later.Path);
        var secret = Path.Combine(host.Root, "secret.txt");
        await File.WriteAllTextAsync(secret, "ok SECRET-CONTENT");
        File.Delete(Path.Combine(folder, later.Path));
        File.CreateSymbolicLink(Path.Combine(folder, later.Path), secret);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync($"/api/jobs/{first}/cancel", null)).StatusCode);
        var failed = await JobsHarness.FinishedAsync(host, queued);

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("checkpoint_200.pth is not a checkpoint file in the run's folder", failed.Reason);
        Assert.False(File.Exists(Path.Combine(host.DataFolder, "jobs", queued.ToString(), "argv.json")));
        Assert.DoesNotContain(failed.Output, line => line.Contains("SECRET", StringComparison.Ordinal));
    }

    private static async Task<List<string>> CheckpointMessagesAsync(TestHost host, long runId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId && e.Kind == RunEventKind.CheckpointSaved).Select(e => e.Message).ToListAsync();
    }
}
