using System.Net;
using System.Text.RegularExpressions;
using Dashboard.Jobs;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Jobs;

/// <summary>Jobs run on Hangfire: a queue and a one-worker server per GPU slot, and its dashboard at /hangfire.</summary>
public sealed class HangfireQueuesTests
{
    private const string Key = "hangfire-key-0123";

    [Fact]
    public async Task Two_slots_run_two_jobs_at_once_each_on_its_own_queue()
    {
        var settings = JobsHarness.Settings(slots: "0");
        settings["Jobs:GpuSlots:1"] = "1";
        await using var host = await TestHost.StartAsync(settings);
        var (runId, folder) = await JobsHarness.RunAsync(host);
        await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_100.pth", "slow 3");
        await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_200.pth", "slow 3");

        var first = await JobsHarness.StartAsync(host, runId, "checkpoint_100.pth");
        var second = await JobsHarness.StartAsync(host, runId, "checkpoint_200.pth");
        var a = await JobsHarness.WaitAsync(host, first, j => j.Status == JobStatus.Running, "running");
        var b = await JobsHarness.WaitAsync(host, second, j => j.Status == JobStatus.Running, "running");
        Assert.NotEqual(a.Slot, b.Slot);

        var servers = await host.Http.GetStringAsync("/hangfire/servers");
        Assert.Contains(JobQueueNames.Local(0), servers);
        Assert.Contains(JobQueueNames.Local(1), servers);
        Assert.Equal(JobStatus.Succeeded, (await JobsHarness.FinishedAsync(host, first)).Status);
        Assert.Equal(JobStatus.Succeeded, (await JobsHarness.FinishedAsync(host, second)).Status);
    }

    [Fact]
    public async Task The_hangfire_dashboard_is_read_only_without_the_key_and_full_with_it()
    {
        var settings = JobsHarness.Settings();
        settings["Auth:ApiKey"] = Key;
        await using var host = await TestHost.StartAsync(settings);
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = host.BaseAddress };

        var page = await browser.GetAsync("/hangfire/jobs/enqueued");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Training Dashboard jobs", await page.Content.ReadAsStringAsync());

        // Hangfire's buttons post commands; a read-only dashboard refuses them.
        Assert.Equal(HttpStatusCode.Unauthorized, await DeleteAsync(browser, withKey: false));
        Assert.Equal(HttpStatusCode.NoContent, await DeleteAsync(browser, withKey: true));
    }

    private static async Task<HttpStatusCode> DeleteAsync(HttpClient browser, bool withKey)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/hangfire/jobs/enqueued");
        if (withKey)
            get.Headers.Add("X-Api-Key", Key);
        var html = await (await browser.SendAsync(get)).Content.ReadAsStringAsync();
        var token = Regex.Match(html, "name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/hangfire/jobs/enqueued/delete") { Content = new FormUrlEncodedContent([new("jobs[]", "999")]) };
        post.Headers.Add("RequestVerificationToken", token);
        if (withKey)
            post.Headers.Add("X-Api-Key", Key);
        return (await browser.SendAsync(post)).StatusCode;
    }
}
