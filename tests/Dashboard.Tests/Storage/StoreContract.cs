using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dashboard.Alerts;
using Dashboard.Api;
using Dashboard.Storage;
using Dashboard.Tests.Alerts;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Tests.Storage;

/// <summary>
/// What the service stores, through the real host, the same on every engine
/// (<see cref="SqliteStoreTests"/>, <see cref="PostgresStoreTests"/>): points and offsets exactly once,
/// across a restart and a SIGKILL; a resume's rewrite; alerts; reports and their streamed CSV.
/// </summary>
public abstract class StoreContract(StoreEngine engine)
{
    private const int Lines = 4000;

    [Fact]
    public async Task A_log_is_stored_once_across_a_restart_and_a_resume_rewrites_its_tail()
    {
        await using var host = await engine.StartHostAsync();
        var (log, run) = await host.WriteRunAsync("p", "resume.log", LogLines.IterRange(100, 2000), untilStep: 2000);
        await host.RestartAsync();
        await TestHost.AppendAsync(log, LogLines.IterRange(2100, 3000));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 3000);
        Assert.Equal(Steps(100, 3000), await StepsAsync(host, run.Id));

        // Resumed from the checkpoint at 1500: the later points win and the abandoned steps go.
        await TestHost.AppendAsync(log, LogLines.IterRange(1500, 1600));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 1600);
        Assert.Equal(Steps(100, 1600), await StepsAsync(host, run.Id));
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.All(detail.Metrics, m => Assert.Equal(16, m.Count));
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal(4.0, series.Points[^2].Value);
    }

    [Fact]
    public async Task The_run_list_orders_by_a_metrics_last_value_with_runs_without_one_last_and_pages_through_it()
    {
        await using var host = await engine.StartHostAsync();
        var runs = new (string Name, string Line)[]
        {
            ("run-0", "loss: 0.5"), ("run-1", "loss: 0.2"), ("run-2", "loss: nan"), ("run-3", "loss: 0.9"), ("run-4", "loss: 0.1"), ("no-loss", "acc: 0.5"),
        };
        foreach (var (name, line) in runs)
            Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsJsonAsync("/api/ingest", new { project = "p", run = name, lines = new[] { $"Iter 1/100 | {line}" } })).StatusCode);

        async Task<IEnumerable<string>> NamesAsync(string query) => (await host.GetJsonAsync<List<RunSummary>>("/api/runs" + query)).Select(r => r.Name);
        Assert.Equal(["run-4", "run-1", "run-0", "run-3", "run-2", "no-loss"], await NamesAsync("?sort=last:loss"));
        // Highest first, and still the runs without a value last (the later one first, as the id breaks ties the same way).
        Assert.Equal(["run-3", "run-0", "run-1", "run-4", "no-loss", "run-2"], await NamesAsync("?sort=-last:loss"));
        Assert.Equal(["run-0", "run-3"], await NamesAsync("?sort=last:loss&limit=2&offset=2"));
        Assert.Equal(["run-1", "run-0"], await NamesAsync("?sort=last:loss&q=run-&limit=2&offset=1"));
    }

    [Fact]
    public async Task Related_runs_are_those_in_folders_below_or_right_above_a_runs_own()
    {
        await using var host = await engine.StartHostAsync();
        async Task<RunSummary> RunAsync(string folder, string file) => (await host.WriteRunAsync(folder, file, "Iter 10/100 | loss: 0.5\n", untilStep: 10)).Run;
        var train = await RunAsync("exp", "train.log");
        var sibling = await RunAsync("exp", "sibling.log");
        var below = await RunAsync(Path.Combine("exp", "sub"), "a.log");
        var deeper = await RunAsync(Path.Combine("exp", "sub", "deeper"), "b.log");
        await RunAsync("other", "c.log");

        async Task<IEnumerable<long>> RelatedAsync(RunSummary run) => (await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}")).Related.Select(r => r.Id);
        Assert.Equal([below.Id, deeper.Id], await RelatedAsync(train));
        Assert.Equal([train.Id, sibling.Id, deeper.Id], await RelatedAsync(below));
        Assert.Equal([train.Id, sibling.Id, below.Id], await RelatedAsync(deeper));
    }

    [Fact]
    public async Task An_alert_is_stored_resolved_and_kept_across_a_restart()
    {
        await using var host = await engine.StartHostAsync();
        var (log, run) = await host.WriteRunAsync("gan", "nan.log", AlertLog.Lines(100, 500, _ => 0.4), untilStep: 500);
        await TestHost.AppendAsync(log, AlertLog.Lines(600, 700, s => s == 600 ? double.NaN : 0.4));

        var resolved = await TestHost.EventuallyAsync(
            async () => (await host.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts")).Where(a => a.RuleId == "loss-nonfinite").ToList(),
            a => a.Count == 1 && !a[0].Active, "the NaN alert to rise and resolve");
        Assert.Equal((600L, 700L), (resolved[0].FirstStep!.Value, resolved[0].LastStep));
        Assert.True(double.IsNaN(resolved[0].Value!.Value));

        await host.RestartAsync();
        var kept = Assert.Single(await host.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts"), a => a.RuleId == "loss-nonfinite");
        Assert.Equal(resolved[0].Id, kept.Id);
    }

    [Fact]
    public async Task A_report_is_made_its_csv_streamed_and_it_is_revoked()
    {
        await using var host = await engine.StartHostAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("p", "report.log", LogLines.IterRange(100, 3000), untilStep: 3000);

        var response = await host.Http.PostAsync($"/api/runs/{run.Id}/reports", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<ReportsEndpoints.CreatedReport>(TestHost.Json))!;
        var csv = (await host.Http.GetStringAsync($"/r/{created.Token}/points.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("run_id,run,metric,step,value,unix_ms", csv[0]);
        Assert.Equal(30 * 5, csv.Length - 1);
        Assert.Contains($"{run.Id},report,Loss_CE,3000,", csv.Last(l => l.Contains("Loss_CE")));

        Assert.Equal(HttpStatusCode.NoContent, (await host.Http.DeleteAsync($"/api/reports/{created.Token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/r/{created.Token}/points.csv")).StatusCode);
    }

    [Fact]
    public async Task SIGKILL_while_a_log_grows_then_restart_stores_every_point_exactly_once()
    {
        await using var host = await engine.StartHostAsync();
        await host.StopAsync();
        var log = host.LogPath("p", "killed.log");

        var output = new System.Text.StringBuilder();
        using var service = host.StartProcess(output);
        var written = 0;
        try
        {
            await AppendLinesAsync(log, written, 20);
            written += 20;
            try
            {
                // A cold start of a second service process (JIT, schema, Hangfire) on a loaded 2-core machine has
                // taken over a minute in the full suite here.
                await TestHost.EventuallyAsync(() => StoredOffsetAsync(host, log), offset => offset > 0 || service.HasExited,
                    "the service process's first commit", 150_000);
            }
            catch (TimeoutException timeout)
            {
                lock (output)
                    throw new TimeoutException($"{timeout.Message} Its output:\n{output}", timeout);
            }
            Assert.False(service.HasExited, $"the service process died by itself:\n{output}");
            // Keep the log growing fast so the kill lands in the middle of reading and committing.
            while (written < Lines / 2)
            {
                await AppendLinesAsync(log, written, 20);
                written += 20;
                await Task.Delay(2);
            }
        }
        finally
        {
            service.Kill();
            await service.WaitForExitAsync();
        }
        var offsetAtKill = await StoredOffsetAsync(host, log);
        Assert.InRange(offsetAtKill, 1, new FileInfo(log).Length);
        await TestHost.AppendAsync(log, LogLines.IterRange((written + 1) * 10L, Lines * 10L, every: 10, total: Lines * 10));

        await host.RestartAsync();
        var run = await host.WaitForRunAsync(r => r.Step == Lines * 10L, 30_000);
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => i * 10L), series.Points.Select(p => p.Step));
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.All(detail.Metrics, m => Assert.Equal(Lines, m.Count));
    }

    [Fact]
    public async Task A_version_4_store_gains_the_job_columns_and_a_job_runs_on_hangfire_with_its_results_in_the_store()
    {
        await using var host = await engine.StartHostAsync(Jobs.JobsHarness.Settings());
        await host.StopAsync();
        await ExecuteAsync(host, """
            ALTER TABLE jobs DROP COLUMN "Queue";
            ALTER TABLE jobs DROP COLUMN "HangfireId";
            UPDATE schema_version SET version = 4;
            """);
        await host.RestartAsync();

        var (runId, folder) = await Jobs.JobsHarness.RunAsync(host);
        var checkpoint = await Jobs.JobsHarness.CheckpointAsync(host, runId, folder, "checkpoint_300.pth", "ok");
        var job = await Jobs.JobsHarness.FinishedAsync(host, await Jobs.JobsHarness.StartAsync(host, runId, checkpoint.Path), 30_000);
        Assert.Equal(Dashboard.Jobs.JobStatus.Succeeded, job.Status);
        Assert.Equal("gpu0", job.Queue);
        Assert.Equal([300L], (await Jobs.JobsHarness.SeriesAsync(host, runId, "val/mIoU")).Points.Select(p => p.Step));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(Assert.Single(job.Samples).Generated)).StatusCode);
        await using var db = new DashboardDbContext(host.StoreDatabase().Configure(new DbContextOptionsBuilder<DashboardDbContext>()).Options);
        Assert.Equal(1, await db.Set<Dashboard.Storage.Entities.JobImageEntity>().CountAsync(i => i.JobId == job.Id && i.Name == "0_gen.png"));
    }

    private static async Task ExecuteAsync(TestHost host, string sql)
    {
        await using var db = new DashboardDbContext(host.StoreDatabase().Configure(new DbContextOptionsBuilder<DashboardDbContext>()).Options);
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static Task AppendLinesAsync(string log, int written, int count) =>
        TestHost.AppendAsync(log, LogLines.IterRange((written + 1) * 10L, (written + count) * 10L, every: 10, total: Lines * 10));

    private static async Task<long> StoredOffsetAsync(TestHost host, string log)
    {
        var database = host.StoreDatabase();
        try
        {
            await using var db = new DashboardDbContext(database.Configure(new DbContextOptionsBuilder<DashboardDbContext>()).Options);
            return await db.SourceFiles.Where(f => f.Path == log).Select(f => f.Offset).FirstOrDefaultAsync();
        }
        catch (DbException)
        {
            // Not created yet by the service process.
            return 0;
        }
        finally
        {
            if (database is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        }
    }

    private static long[] Steps(long from, long to) => [.. Enumerable.Range(0, (int)((to - from) / 100) + 1).Select(i => from + i * 100L)];

    private static async Task<long[]> StepsAsync(TestHost host, long runId) =>
        [.. (await host.GetJsonAsync<MetricSeries>($"/api/runs/{runId}/metrics/Loss_CE")).Points.Select(p => p.Step)];
}
