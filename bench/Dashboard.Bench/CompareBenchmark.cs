using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Dashboard.Core.Simulation;
using Dashboard.Tests.Browser;

namespace Dashboard.Bench;

/// <summary>
/// The compare page at scale (issue 16): N runs (100 by default) of 2,000 logged steps each, ingested by
/// the real service, then `/compare?runs=…&amp;metrics=Loss_CE` opened in headless Chromium: the time from
/// navigation until the chart holds every run's line drawn to its last step (downsampled to the chart's
/// share of points, min and max kept: RunChart.PointsPerChart). First visits in fresh
/// browser contexts, then a returning visit; the whole page (five charts of N lines) beside it.
/// </summary>
public static class CompareBenchmark
{
    private const int Steps = 2000;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = ServiceProcess.Option(args, "--runs", 100);
        var visits = ServiceProcess.Option(args, "--visits", 3);
        var root = Directory.CreateTempSubdirectory("dashboard-compare-bench-").FullName;
        var watch = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        var (playwright, browser) = await ChromiumLaunch.StartAsync();
        try
        {
            Console.WriteLine($"Compare {runs} runs of {Steps:N0} steps; machine: {Environment.ProcessorCount} cores, load average {ServiceProcess.LoadAverage()}");
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), watch, ["--Reports:Automatic=false"], async (child, http) =>
            {
                var folder = Directory.CreateDirectory(Path.Combine(watch, "sweep")).FullName;
                for (var i = 0; i < runs; i++)
                {
                    var lines = new S4GanLogSimulator(Steps, logEvery: 1, evaluateEvery: 0, seed: 100 + i, learningRates: false).Lines();
                    await File.WriteAllTextAsync(Path.Combine(folder, $"run{i:000}.log"), string.Join('\n', lines) + "\n");
                }
                var ids = await WaitForRunsAsync(http, runs);
                await ServiceProcess.WaitUntilIdleAsync(child.Id);
                Console.WriteLine($"{runs} runs stored; service idle, RSS {ServiceProcess.Status(child.Id, "VmRSS:") / 1024} MB");

                var oneChart = new List<double>();
                var wholePage = new List<double>();
                for (var visit = 0; visit < visits; visit++)
                {
                    oneChart.Add(await VisitAsync(browser, http, $"/compare?runs={string.Join(',', ids)}&metrics=Loss_CE", runs, charts: 1));
                    wholePage.Add(await VisitAsync(browser, http, $"/compare?runs={string.Join(',', ids)}", runs, charts: 5));
                }
                Console.WriteLine($"service RSS after: {ServiceProcess.Status(child.Id, "VmRSS:") / 1024} MB");
                Console.WriteLine();
                Console.WriteLine($"{"figure (first visits, each in a fresh browser context)",-60} {"median",9} {"runs",18} {"target",10}");
                Print($"{runs} runs × {Steps:N0} points on one chart: navigation → drawn", oneChart, "≤ 1 s");
                Print($"  the whole page: 5 charts × {runs} lines", wholePage, "");
                return 0;
            });
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<long>> WaitForRunsAsync(HttpClient http, int runs)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            using var list = JsonDocument.Parse(await http.GetStringAsync("/api/runs?limit=1000&sort=name"));
            var done = list.RootElement.EnumerateArray().Where(r => r.GetProperty("step").ValueKind == JsonValueKind.Number && r.GetProperty("step").GetInt64() == Steps).ToList();
            if (done.Count == runs)
                return [.. done.Select(r => r.GetProperty("id").GetInt64())];
            await Task.Delay(200);
        }
        throw new TimeoutException("The runs were not stored in time.");
    }

    /// <summary>Seconds from the navigation until every chart holds every run's line, drawn to its last step.</summary>
    private static async Task<double> VisitAsync(Microsoft.Playwright.IBrowser browser, HttpClient http, string path, int runs, int charts)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        try
        {
            var page = await context.NewPageAsync();
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(http.BaseAddress!, path).ToString(), new() { Timeout = 120_000 });
            await page.WaitForFunctionAsync("""
                ([runs, steps, charts]) => {
                  const plots = [...document.querySelectorAll('.chart .js-plotly-plot')];
                  return plots.length === charts && plots.every(gd => (gd.data ?? []).filter(t => t.legendgroup && !t.name.endsWith('(non-finite)') && Number(t.x.at(-1)) === steps).length === runs);
                }
                """, new[] { runs, Steps, charts }, new() { Timeout = 120_000 });
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static void Print(string label, List<double> seconds, string target)
    {
        var sorted = seconds.Order().ToList();
        Console.WriteLine($"{label,-60} {Percentile.Of(sorted, 50),7:0.00} s {string.Join(", ", seconds.Select(s => s.ToString("0.00"))),18} {target,10}");
    }
}
