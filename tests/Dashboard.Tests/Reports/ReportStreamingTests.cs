using System.Globalization;
using System.Text;
using Dashboard.Core.Reports;
using Dashboard.Core.Simulation;
using Dashboard.Reports;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Reports;

/// <summary>
/// A report reads the store one metric at a time, twice for some metrics, and writes the points CSV
/// as they pass: what it freezes must be what the report of every point held in memory says.
/// </summary>
public sealed class ReportStreamingTests
{
    [Fact]
    public async Task Report_read_metric_by_metric_equals_the_report_of_every_point_in_memory()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        // Evaluations, learning rates and the self-training loss switching on: every part of the report has something to say.
        var s4gan = string.Join('\n', new S4GanLogSimulator(totalSteps: 3_000, evaluateEvery: 500, seed: 5).Lines()) + "\n";
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "s4gan.log", s4gan, untilStep: 3_000);
        await Ingested.ReadToEndAsync(host, log);

        var created = await ReportsApiTests.CreateAsync(host, $"/api/runs/{run.Id}/reports");

        var frozen = await host.Http.GetStringAsync($"/r/{created.Token}.json");
        var inMemory = await InMemoryAsync(host, run.Id);
        Assert.Equal(ReportJson.Serialize(ReportBuilder.ForRun(inMemory, ReportJson.Deserialize(frozen).CreatedAt)), frozen);
        Assert.Equal(Csv(inMemory), await host.Http.GetStringAsync($"/r/{created.Token}/points.csv"));
    }

    [Fact]
    public async Task Comparison_read_run_by_run_equals_the_comparison_of_every_point_in_memory()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (vaeLog, vae) = await host.WriteRunAsync("RadioDiff", "vae,\"quoted\".log", VaeLog.Text(totalSteps: 20_000), untilStep: 20_000);
        var s4gan = string.Join('\n', new S4GanLogSimulator(totalSteps: 2_000, evaluateEvery: 500, seed: 9).Lines()) + "\n";
        var (ganLog, gan) = await host.WriteRunAsync("S4GAN_Train", "s4gan.log", s4gan, untilStep: 2_000);
        await Ingested.ReadToEndAsync(host, vaeLog);
        await Ingested.ReadToEndAsync(host, ganLog);

        var created = await ReportsApiTests.CreateAsync(host, "/api/reports", new { runs = new[] { gan.Id, vae.Id } });

        var frozen = await host.Http.GetStringAsync($"/r/{created.Token}.json");
        RunInput[] inMemory = [await InMemoryAsync(host, gan.Id), await InMemoryAsync(host, vae.Id)];
        Assert.Equal(ReportJson.Serialize(ReportBuilder.ForComparison(inMemory, ReportJson.Deserialize(frozen).CreatedAt)), frozen);
        Assert.Equal(Csv(inMemory), await host.Http.GetStringAsync($"/r/{created.Token}/points.csv"));
    }

    /// <summary>The run as the report used to take it: every point of every metric read up front.</summary>
    private static async Task<RunInput> InMemoryAsync(TestHost host, long runId)
    {
        await using var scratch = new PointsCsv();
        var source = (await host.Services.GetRequiredService<RunSnapshotter>().ReadAsync(runId, scratch, [], CancellationToken.None))!;
        var metrics = new List<MetricInput>();
        foreach (var key in source.Keys)
            metrics.Add(new MetricInput(key, [.. await source.Read(key, CancellationToken.None)]));
        return source.Run with { Metrics = metrics };
    }

    /// <summary>Every point, written independently of <see cref="PointsCsv"/>: the names here need quoting.</summary>
    private static string Csv(params RunInput[] runs)
    {
        static string Field(string text) => text.Contains(',') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
        var csv = new StringBuilder("run_id,run,metric,step,value,unix_ms\n");
        foreach (var run in runs)
            foreach (var metric in run.Metrics)
                foreach (var p in metric.Points)
                    csv.Append(CultureInfo.InvariantCulture, $"{run.Id},{Field(run.Name)},{Field(metric.Key)},{p.Step},{p.Value:R},{p.UnixMs}\n");
        return csv.ToString();
    }
}
