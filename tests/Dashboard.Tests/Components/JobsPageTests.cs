using Bunit;
using Dashboard.Components.Model;
using Dashboard.Components.Pages;
using Dashboard.Components.Shared;
using Dashboard.Jobs;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Dashboard.Tests.Components;

public sealed class JobsPageTests
{
    private sealed record Jobs(long Queued, long Failed);

    /// <summary>
    /// A queued and a failed job written to the store only, never put on a slot's queue: the queued one stays
    /// queued (nothing runs it), so what a refused or allowed cancel did is all there is to see.
    /// </summary>
    private static async Task<Jobs> JobsAsync(TestHost host)
    {
        var (_, run) = await host.WriteRunAsync("seg", "train.log", LogLines.IterRange(100, 500), untilStep: 500);
        var queued = new JobEntity { RunId = run.Id, Kind = JobKind.Evaluate, Status = JobStatus.Queued, Checkpoint = "checkpoint_1000.pth", CheckpointStep = 1000, Origin = "manual" };
        var failed = new JobEntity
        {
            RunId = run.Id, Kind = JobKind.Sample, Status = JobStatus.Failed, Checkpoint = "checkpoint_500.pth", CheckpointStep = 500, Origin = "manual",
            Attempts = 1, Reason = "exited with code 1", OutputTail = "Traceback\n<b>RuntimeError</b>: boom",
        };
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        db.AddRange(queued, failed);
        await db.SaveChangesAsync();
        return new Jobs(queued.Id, failed.Id);
    }

    private static IRenderedComponent<JobsPage> Render(BunitContext context, bool allowed) =>
        context.Render<JobsPage>(p => p.AddCascadingValue(new WriteAccess(allowed)));

    private static string Tooltip(IRenderedComponent<JobsPage> page, string action) =>
        page.FindComponents<MudTooltip>().Single(t => t.Find("button").GetAttribute("data-job-action") == action).Instance.Text!;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancel_and_retry_are_disabled_with_the_sign_in_reason_unless_writes_are_allowed(bool allowed)
    {
        await using var host = await TestHost.StartAsync();
        var jobs = await JobsAsync(host);
        await using var context = HostComponents.Context(host);

        var page = Render(context, allowed);
        page.WaitForElement($"tr.job-row[data-job-id='{jobs.Failed}']");

        var cancel = page.Find($"tr.job-row[data-job-id='{jobs.Queued}'] [data-job-action='cancel']");
        var retry = page.Find($"tr.job-row[data-job-id='{jobs.Failed}'] [data-job-action='retry']");
        Assert.Equal(!allowed, cancel.HasAttribute("disabled"));
        Assert.Equal(!allowed, retry.HasAttribute("disabled"));
        Assert.Empty(page.FindAll($"tr.job-row[data-job-id='{jobs.Queued}'] [data-job-action='retry']"));
        Assert.Empty(page.FindAll($"tr.job-row[data-job-id='{jobs.Failed}'] [data-job-action='cancel']"));
        Assert.Equal(!allowed, Tooltip(page, "cancel") == WriteAccess.Why);
        Assert.Equal(!allowed, Tooltip(page, "retry") == WriteAccess.Why);
        // The output is text, never markup.
        var failed = page.Find($"tr.job-row[data-job-id='{jobs.Failed}']");
        Assert.Empty(failed.QuerySelectorAll("[data-role='output'] b"));
        Assert.Contains("<b>RuntimeError</b>", failed.QuerySelector("[data-role='output']")!.TextContent);
    }

    [Fact]
    public async Task A_cancel_invoked_from_the_page_without_write_access_leaves_the_job_queued_and_with_it_cancels()
    {
        await using var host = await TestHost.StartAsync();
        var jobs = await JobsAsync(host);
        await using var context = HostComponents.Context(host);

        // The handler as a tampered circuit would call it, past the disabled button.
        var readOnly = Render(context, allowed: false);
        readOnly.WaitForState(() => readOnly.FindComponents<JobRow>().Any(r => r.Instance.Job.Id == jobs.Queued));
        var row = readOnly.FindComponents<JobRow>().Single(r => r.Instance.Job.Id == jobs.Queued);
        await readOnly.InvokeAsync(() => row.Instance.OnCancel.InvokeAsync(row.Instance.Job));
        readOnly.WaitForAssertion(() => Assert.Contains($"Job #{jobs.Queued} was not cancelled: {WriteAccess.Why}", readOnly.Find("[data-role='job-message']").TextContent));
        Assert.Equal(JobStatus.Queued, (await host.GetJsonAsync<JobView>($"/api/jobs/{jobs.Queued}")).Status);

        var allowed = Render(context, allowed: true);
        allowed.WaitForElement($"tr.job-row[data-job-id='{jobs.Queued}'] [data-job-action='cancel']").Click();
        allowed.WaitForAssertion(() => Assert.Contains($"Job #{jobs.Queued} cancelled.", allowed.Find("[data-role='job-message']").TextContent));
        Assert.Equal(JobStatus.Cancelled, (await host.GetJsonAsync<JobView>($"/api/jobs/{jobs.Queued}")).Status);
        allowed.WaitForAssertion(() => Assert.Equal("cancelled", allowed.Find($"tr.job-row[data-job-id='{jobs.Queued}']").GetAttribute("data-status")));
    }
}
