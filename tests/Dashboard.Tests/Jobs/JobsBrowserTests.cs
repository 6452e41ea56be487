using Dashboard.Tests.Browser;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Tests.Jobs;

[Collection("browser")]
public sealed class JobsBrowserTests(BrowserFixture browser)
{
    // A job's state comes from a Python evaluator: with the whole suite on two cores it took over 20 s to get there.
    private const int JobWaitMs = 60_000;

    [Fact]
    public async Task Evaluate_button_runs_a_job_whose_metric_reaches_the_open_charts_and_whose_samples_form_the_gallery()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_1000.pth", "ok");
        await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_5000.pth", "ok");

        var page = await browser.NewPageAsync();
        // The run page is interactive: its circuit starts first, slow on a loaded machine, so the first waits are generous.
        await page.GotoAsync(new Uri(host.BaseAddress, $"/runs/{runId}").ToString(), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("[data-live='connected']", new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#checkpoints[data-ready='true']", new() { Timeout = 30_000 });
        foreach (var name in new[] { "checkpoint_1000.pth", "checkpoint_5000.pth" })
        {
            var row = page.Locator("#checkpoints tr", new() { HasText = name });
            await row.Locator("[data-start-job='evaluate']").ClickAsync();
            await Assertions.Expect(row.Locator("[data-role='jobs']")).ToContainTextAsync("succeeded", new() { Timeout = JobWaitMs });
        }
        await Assertions.Expect(page.Locator(".chart[data-keys*='val/mIoU']")).ToHaveCountAsync(1);

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var gallery = page.Locator("#sample-gallery");
        await page.WaitForSelectorAsync("#sample-gallery[data-ready='true']", new() { Timeout = 30_000 });
        await Assertions.Expect(gallery.Locator("[data-role='gallery-step-label']")).ToHaveTextAsync("step 5000");
        var shown = gallery.Locator(".gallery-step:not([hidden]) .sample-image");
        await Assertions.Expect(shown).ToHaveCountAsync(3);
        await Assertions.Expect(gallery.Locator(".gallery-compare-side")).ToHaveCountAsync(2);
        // Every image on show loads as the 8x8 PNG the evaluator wrote (hidden steps load lazily).
        await page.WaitForFunctionAsync("""
            () => {
              const shown = [...document.querySelectorAll('#sample-gallery .gallery-step:not([hidden]) img, #sample-gallery .gallery-compare img')];
              return shown.length === 5 && shown.every(i => i.complete && i.naturalWidth === 8);
            }
            """);

        await gallery.Locator("#gallery-step").FillAsync("0");
        await Assertions.Expect(gallery.Locator("[data-role='gallery-step-label']")).ToHaveTextAsync("step 1000");
        await Assertions.Expect(gallery.Locator(".gallery-step:not([hidden])")).ToHaveAttributeAsync("data-step", "1000");
    }

    [Fact]
    public async Task Jobs_page_follows_a_job_live_retries_a_failed_one_and_cancels_a_running_one()
    {
        await using var host = await TestHost.StartAsync(JobsHarness.Settings());
        var (runId, folder) = await JobsHarness.RunAsync(host);
        var slow = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_2000.pth", "slow 6");
        var crash = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_3000.pth", "crash");
        var hang = await JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_4000.pth", "hang");

        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/jobs").ToString(), BrowserFixture.Navigation);
        // Interactive: the circuit runs (and the page's job feed with it) before anything is started.
        await page.WaitForSelectorAsync("[data-live='connected']");
        await page.WaitForSelectorAsync("#jobs-page[data-ready='true']");
        await Assertions.Expect(page.Locator("#jobs-empty")).ToBeVisibleAsync();

        var id = await JobsHarness.StartAsync(host, runId, slow.Path);
        var row = page.Locator($"tr.job-row[data-job-id='{id}']");
        // The scheduler's pick-up and the evaluator's start (a Python process) are slow on a loaded CI machine: allow for them.
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "running", new() { Timeout = JobWaitMs });
        await Assertions.Expect(row.Locator("[data-role='progress']")).ToContainTextAsync("/50", new() { Timeout = JobWaitMs });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = JobWaitMs });
        await Assertions.Expect(row.Locator("[data-role='metrics']")).ToContainTextAsync("val/mIoU 0.52");
        await Assertions.Expect(page.Locator("#jobs-empty")).ToHaveCountAsync(0);

        var failedId = await JobsHarness.StartAsync(host, runId, crash.Path);
        var failed = page.Locator($"tr.job-row[data-job-id='{failedId}']");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-status", "failed", new() { Timeout = JobWaitMs });
        await Assertions.Expect(failed.Locator("[data-role='reason']")).ToHaveTextAsync("exited with code 1");
        await failed.Locator("[data-role='output-toggle']").ClickAsync();
        // The collapsed output is in the DOM (clipped, so "visible" to Playwright) before the server's expand arrives;
        // wait until it has opened, or the row grows under the next click and Retry moves away from the pointer.
        await Assertions.Expect(failed.Locator(".mud-collapse-entered [data-role='output']")).ToBeVisibleAsync();
        await Assertions.Expect(failed.Locator("[data-role='output']")).ToContainTextAsync("RuntimeError");

        await File.WriteAllTextAsync(Path.Combine(folder, crash.Path), "ok");
        await failed.Locator("[data-job-action='retry']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-role='job-message']")).ToContainTextAsync($"Job #{failedId} retried as job #");
        await Assertions.Expect(page.Locator("tr.job-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("tr.job-row").First).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = JobWaitMs });

        var hangId = await JobsHarness.StartAsync(host, runId, hang.Path);
        var hanging = page.Locator($"tr.job-row[data-job-id='{hangId}']");
        await Assertions.Expect(hanging).ToHaveAttributeAsync("data-status", "running", new() { Timeout = JobWaitMs });
        await hanging.Locator("[data-job-action='cancel']").ClickAsync();
        await Assertions.Expect(hanging).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = JobWaitMs });
        await Assertions.Expect(hanging.Locator("[data-job-action='retry']")).ToBeVisibleAsync();

        await page.Locator("[data-filter='failed']").ClickAsync();
        await Assertions.Expect(page.Locator("tr.job-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr.job-row").First).ToHaveAttributeAsync("data-job-id", failedId.ToString());
        await Assertions.Expect(page.Locator("[data-count='succeeded']")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-count='all']")).ToHaveTextAsync("4");
    }
}
