using System.Net;
using System.Net.Http.Json;
using Dashboard.Jobs;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Jobs;

public sealed class JobsApiTests
{
    [Fact]
    public async Task Starting_a_job_needs_the_api_key_when_one_is_configured()
    {
        var settings = JobsHarness.Settings();
        settings["Auth:ApiKey"] = "jobs-secret-key";
        await using var host = await TestHost.StartAsync(settings);
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_100.pth", "ok");

        var refused = await host.Http.PostAsJsonAsync($"/api/runs/{runId}/jobs", new { kind = "evaluate", checkpoint = checkpoint.Path });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(await host.GetJsonAsync<List<JobView>>("/api/jobs"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.PostAsync("/api/jobs/1/cancel", null)).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{runId}/jobs") { Content = JsonContent.Create(new { kind = "evaluate", checkpoint = checkpoint.Path }) };
        request.Headers.Add("X-Api-Key", "jobs-secret-key");
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("train", "checkpoint_100.pth", HttpStatusCode.BadRequest, "Invalid kind")]
    [InlineData("evaluate", "", HttpStatusCode.BadRequest, "Missing checkpoint")]
    [InlineData("evaluate", "/etc/passwd", HttpStatusCode.NotFound, "Checkpoint not found")]
    [InlineData("evaluate", "../seg/checkpoint_100.pth", HttpStatusCode.NotFound, "Checkpoint not found")]
    public async Task Bad_job_requests_get_a_problem_and_start_nothing(string kind, string checkpoint, HttpStatusCode status, string title)
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_100.pth", "ok");

        var response = await host.Http.PostAsJsonAsync($"/api/runs/{runId}/jobs", new { kind, checkpoint });

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(title, await response.Content.ReadAsStringAsync());
        Assert.Empty(await host.GetJsonAsync<List<JobView>>("/api/jobs"));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsJsonAsync("/api/runs/999/jobs", new { kind = "evaluate", checkpoint = "x.pth" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/runs/999/checkpoints")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/jobs/999")).StatusCode);
    }

    [Fact]
    public async Task A_kind_without_a_command_is_refused_naming_the_key()
    {
        await using var host = await TestHost.StartAsync();
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_100.pth", "ok");

        var response = await host.Http.PostAsJsonAsync($"/api/runs/{runId}/jobs", new { kind = "sample", checkpoint = checkpoint.Name });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Jobs:Sample:Command is not configured", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Images_are_served_by_plain_name_from_the_store_and_nothing_else_is()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var checkpoint = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_100.pth", "ok");
        var job = await JobsHarness.FinishedAsync(host, await JobsHarness.StartAsync(host, runId, checkpoint.Path));
        var output = Path.Combine(host.DataFolder, "jobs", job.Id.ToString());
        File.CreateSymbolicLink(Path.Combine(output, "link.png"), Path.Combine(output, "0_gt.png"));
        await File.WriteAllBytesAsync(Path.Combine(host.DataFolder, "outside.png"), await File.ReadAllBytesAsync(Path.Combine(output, "0_gt.png")));

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/api/jobs/{job.Id}/files/0_gt.png")).StatusCode);
        foreach (var name in new[] { "..%2F..%2Foutside.png", "..%2Foutside.png", "%2Fetc%2Fpasswd", "run_config.json", "metrics.json", "link.png", "missing.png", "..%5Coutside.png" })
            Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/jobs/{job.Id}/files/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/jobs/{job.Id + 1}/files/0_gt.png")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await host.Http.GetAsync($"/api/jobs/{job.Id}/files/../../outside.png")).StatusCode);

        // Kept in the store: a worker's output folder is on another machine, so the web instance never reads one.
        Directory.Delete(output, recursive: true);
        var image = await host.Http.GetAsync($"/api/jobs/{job.Id}/files/0_gt.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(0x89, (await image.Content.ReadAsByteArrayAsync())[0]);
    }

    [Fact]
    public async Task Checkpoints_list_steps_from_names_and_the_save_interval_and_mark_the_best()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var log = host.LogPath("seg", "train.log");
        await TestHost.AppendAsync(log, "{'save_interval': 500, 'lr': 0.01}\n" + LogLines.IterRange(100, 500));
        var run = await host.WaitForRunAsync(r => r.Source == log && r.Step == 500);
        var folder = Path.GetDirectoryName(log)!;
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        await File.WriteAllTextAsync(Path.Combine(folder, "checkpoints", "model-7.pt"), "ok");
        await File.WriteAllTextAsync(Path.Combine(folder, "checkpoint_5000.pth"), "ok");
        await File.WriteAllTextAsync(Path.Combine(folder, "best_model.pth"), "ok");

        var list = await TestHost.EventuallyAsync(() => host.GetJsonAsync<List<CheckpointView>>($"/api/runs/{run.Id}/checkpoints"), l => l.Count == 3, "three checkpoints");

        Assert.Equal(3500, list.Single(c => c.Name == "model-7.pt").Step);
        Assert.Equal(5000, list.Single(c => c.Name == "checkpoint_5000.pth").Step);
        var best = list.Single(c => c.Name == "best_model.pth");
        Assert.Null(best.Step);
        Assert.True(best.IsBest);
        Assert.All(list, c => Assert.Equal(2, c.SizeBytes));
        Assert.All(list, c => Assert.True(c.Exists));
    }

    [Fact]
    public async Task An_automatic_policy_evaluates_every_new_checkpoint_of_its_watch_root()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-auto-").FullName;
        var settings = JobsHarness.Settings();
        settings["Watch:Roots:1"] = root;
        settings["Jobs:Auto:0:Root"] = root;
        settings["Jobs:Auto:0:Kind"] = "evaluate";
        settings["Jobs:Auto:0:When"] = "every";
        await using var auto = await TestHost.StartAsync(settings);
        var folder = Directory.CreateDirectory(Path.Combine(root, "seg")).FullName;
        var log = Path.Combine(folder, "train.log");
        await TestHost.AppendAsync(log, LogLines.IterRange(100, 500));
        var runId = (await auto.WaitForRunAsync(r => r.Source == log && r.Step == 500)).Id;
        var (elsewhere, elsewhereFolder) = await JobsHarness.RunAsync(auto);
        await File.WriteAllTextAsync(Path.Combine(elsewhereFolder, "checkpoint_900.pth"), "ok");

        await File.WriteAllTextAsync(Path.Combine(folder, "checkpoint_800.pth"), "ok");

        var jobs = await TestHost.EventuallyAsync(() => auto.GetJsonAsync<List<JobView>>($"/api/runs/{runId}/jobs"), l => l.Count == 1, "an automatic job");
        Assert.Equal("auto", jobs[0].Origin);
        Assert.Equal(JobStatus.Succeeded, (await JobsHarness.FinishedAsync(auto, jobs[0].Id)).Status);
        Assert.Equal([800L], (await JobsHarness.SeriesAsync(auto, runId, "val/mIoU")).Points.Select(p => p.Step));
        await JobsHarness.CheckpointAsync(auto, elsewhere, elsewhereFolder, "checkpoint_900.pth", "ok");
        Assert.Empty(await auto.GetJsonAsync<List<JobView>>($"/api/runs/{elsewhere}/jobs"));
        Directory.Delete(root, recursive: true);
    }
}
