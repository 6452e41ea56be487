using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Dashboard.Core.Jobs;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Dashboard.Tests.Jobs;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Tests.Reports;

/// <summary>Samples of the run's jobs (the stand-in evaluator's real PNGs) frozen into the report.</summary>
public sealed class ReportSamplesTests
{
    private static Dictionary<string, string?> Settings()
    {
        var settings = JobsHarness.Settings();
        settings["Reports:Automatic"] = "false";
        return settings;
    }

    private static async Task<(long RunId, long Early, long Late)> RunWithTwoSampleJobsAsync(TestHost host)
    {
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var late = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_9000.pth", "ok");
        var early = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_3000.pth", "ok");
        var lateJob = await JobsHarness.StartAsync(host, runId, late.Path, "sample");
        var earlyJob = await JobsHarness.StartAsync(host, runId, early.Path, "sample");
        foreach (var id in new[] { lateJob, earlyJob })
            Assert.Equal(Dashboard.Jobs.JobStatus.Succeeded, (await JobsHarness.FinishedAsync(host, id)).Status);
        return (runId, earlyJob, lateJob);
    }

    [Fact]
    public async Task Early_and_late_samples_are_frozen_with_the_report_and_outlive_the_jobs_folders()
    {
        await using var host = await TestHost.StartAsync(Settings());
        var (runId, early, late) = await RunWithTwoSampleJobsAsync(host);
        var jobFiles = new Dictionary<string, byte[]>();
        foreach (var job in new[] { early, late })
            foreach (var name in new[] { "0_gt.png", "0_gen.png", "0_diff.png" })
                jobFiles[$"/samples/job{job}-{name}"] = await File.ReadAllBytesAsync(Path.Combine(host.DataFolder, "jobs", job.ToString(), name));

        var created = await ReportsApiTests.CreateAsync(host, $"/api/runs/{runId}/reports");

        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        var run = json.RootElement.GetProperty("runs")[0];
        var sets = run.GetProperty("samples").GetProperty("sets").EnumerateArray().ToList();
        Assert.Equal([("early", early, 3000L, "checkpoint_3000.pth"), ("late", late, 9000L, "checkpoint_9000.pth")],
            sets.Select(s => (s.GetProperty("label").GetString(), s.GetProperty("jobId").GetInt64(), s.GetProperty("step").GetInt64(), s.GetProperty("checkpoint").GetString())));
        var urls = sets.SelectMany(s => s.GetProperty("samples").EnumerateArray())
            .SelectMany(s => s.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("url").GetString()!)).ToList();
        Assert.Equal(jobFiles.Keys.Order().Select(k => $"/r/{created.Token}{k}"), urls.Order());

        // The stand-in wrote val/mIoU at each checkpoint's step; the later checkpoint scored higher.
        var best = run.GetProperty("bestEvaluation");
        Assert.Equal(("val/mIoU", 9000L), (best.GetProperty("key").GetString(), best.GetProperty("best").GetProperty("step").GetInt64()));
        Assert.Equal("checkpoint_9000.pth", run.GetProperty("checkpoint").GetProperty("name").GetString());

        var page = new HtmlParser().ParseDocument(await host.Http.GetStringAsync($"/r/{created.Token}"));
        Assert.Equal(["early", "late"], page.QuerySelectorAll("[data-role='samples'] .sample-set").Select(f => f.GetAttribute("data-label")));
        Assert.Equal(urls.Order(), page.QuerySelectorAll("[data-role='samples'] img").Select(i => i.GetAttribute("src")!).Order());

        var markdown = await host.Http.GetStringAsync($"/r/{created.Token}.md");
        foreach (var url in urls)
            Assert.Contains($"]({created.Url}{url[($"/r/{created.Token}".Length)..]})", markdown);
        Assert.StartsWith("http://", created.Url);

        foreach (var job in new[] { early, late })
            Directory.Delete(Path.Combine(host.DataFolder, "jobs", job.ToString()), recursive: true);
        foreach (var url in urls)
        {
            var image = await host.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(jobFiles[url[($"/r/{created.Token}".Length)..]], await image.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await host.Http.DeleteAsync($"/api/reports/{created.Token}")).StatusCode);
        foreach (var url in urls)
            Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(url)).StatusCode);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Set<ReportFileEntity>().CountAsync());
    }

    [Fact]
    public async Task A_hostile_sample_name_in_a_jobs_manifest_is_refused_and_nothing_outside_its_folder_is_copied()
    {
        await using var host = await TestHost.StartAsync(Settings());
        var (runId, _, late) = await RunWithTwoSampleJobsAsync(host);
        // The manifest parser refuses such names when a job finishes, so a stored row is the only way one
        // can arrive (an older version's row, a hand-edited database): the report checks again.
        var outside = Path.Combine(host.DataFolder, "jobs", "secret.png");
        await File.WriteAllTextAsync(outside, "not for reports");
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync())
        {
            var job = await db.Set<JobEntity>().SingleAsync(j => j.Id == late);
            job.SamplesJson = JsonSerializer.Serialize(new[] { new SamplePair("stolen", null, "../secret.png", null), new SamplePair("0", "0_gt.png", "0_gen.png", "0_diff.png") },
                new JsonSerializerOptions(JsonSerializerDefaults.Web));
            await db.SaveChangesAsync();
        }

        var created = await ReportsApiTests.CreateAsync(host, $"/api/runs/{runId}/reports");

        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        var samples = json.RootElement.GetProperty("runs")[0].GetProperty("samples");
        var lateSet = samples.GetProperty("sets")[1];
        Assert.Equal(["0"], lateSet.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Contains(samples.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains($"Sample stolen of job {late} refused"));
        await using var check = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        var names = await check.Set<ReportFileEntity>().Select(f => f.Name).ToListAsync();
        Assert.Equal(6, names.Count);
        Assert.DoesNotContain(names, n => n.Contains("secret", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/r/{created.Token}/samples/..%2Fsecret.png")).StatusCode);
    }
}
