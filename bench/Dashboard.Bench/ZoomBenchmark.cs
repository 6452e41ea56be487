using System.Diagnostics;
using System.Text;
using Dashboard.Tests.Browser;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Zoom to detail on a big run (issue 16): a 2M-step S4GAN log (10M points) ingested by the real
/// service, its run page open in headless Chromium, then zooms into random 1% windows of the first
/// chart (what Plotly sends when a user drags a zoom box) and back out (a double-click's autorange).
/// Each is timed in the page from the relayout call to Plotly's first draw of the new points; the
/// ranged read over HTTP is timed beside it, and the whole-run read as its reference.
/// </summary>
public static class ZoomBenchmark
{
    private const string Plot = ".chart .js-plotly-plot";

    // Resolves with the ms from the relayout to the first afterplot whose first trace starts as wanted.
    private const string Measure = """
        ([selector, range, zoomIn]) => new Promise(resolve => {
          const gd = document.querySelector(selector);
          const t0 = performance.now();
          const done = () => {
            const x = gd.data[0].x;
            if (x.length === 0 || (zoomIn ? Number(x[0]) < range[0] : Number(x[0]) >= range[0])) return;
            gd.removeListener('plotly_afterplot', done);
            resolve([performance.now() - t0, x.length]);
          };
          gd.on('plotly_afterplot', done);
          Plotly.relayout(gd, zoomIn ? { 'xaxis.range[0]': range[0], 'xaxis.range[1]': range[1] } : { 'xaxis.autorange': true });
        })
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var lines = ServiceProcess.Option(args, "--lines", 2_000_000);
        var zooms = ServiceProcess.Option(args, "--zooms", 20);
        var root = Directory.CreateTempSubdirectory("dashboard-zoom-bench-").FullName;
        var watch = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        var (playwright, browser) = await ChromiumLaunch.StartAsync();
        try
        {
            var source = Path.Combine(root, "s4gan.log");
            using (var writer = new StreamWriter(source, false, new UTF8Encoding(false), 1 << 20))
            {
                foreach (var (line, _) in IngestBenchmark.HealthyLines(lines))
                    writer.Write(line + "\n");
            }
            Console.WriteLine($"Zoom to detail on {lines:N0} steps ({lines * (long)IngestBenchmark.Keys.Length:N0} points); machine: {Environment.ProcessorCount} cores, load average {ServiceProcess.LoadAverage()}");
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), watch, ["--Reports:Automatic=false"], async (child, http) =>
            {
                File.Move(source, Path.Combine(Directory.CreateDirectory(Path.Combine(watch, "bench")).FullName, "s4gan.log"));
                var runId = await IngestBenchmark.WaitUntilStoredAsync(http, lines, TimeSpan.FromMinutes(15));
                await ServiceProcess.WaitUntilIdleAsync(child.Id);
                var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
                var page = await context.NewPageAsync();
                await page.GotoAsync(new Uri(http.BaseAddress!, $"/runs/{runId}").ToString(), new() { Timeout = 60_000 });
                await page.WaitForFunctionAsync($"() => document.querySelector('{Plot}')?.data?.[0]?.x?.length > 0", null, new() { Timeout = 60_000 });
                var keys = await page.Locator(".chart").First.GetAttributeAsync("data-keys");
                var key = System.Text.Json.JsonSerializer.Deserialize<string[]>(keys!)![0];

                var random = new Random(16);
                var (zoomIn, zoomOut, readRange, readAll) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
                var drawnPoints = 0;
                for (var i = 0; i < zooms + 2; i++)
                {
                    var from = random.NextInt64(1, lines - lines / 100);
                    long[] range = [from, from + lines / 100];
                    var inMs = await page.EvaluateAsync<double[]>(Measure, new object[] { Plot, range, true });
                    var outMs = await page.EvaluateAsync<double[]>(Measure, new object[] { Plot, range, false });
                    var rangeMs = await TimeAsync(http, $"/api/runs/{runId}/metrics/{Uri.EscapeDataString(key)}?fromStep={range[0]}&toStep={range[1]}&maxPoints=2000");
                    var allMs = await TimeAsync(http, $"/api/runs/{runId}/metrics/{Uri.EscapeDataString(key)}?maxPoints=2000");
                    // The first two warm the path up (JIT, page caches) and are not counted.
                    if (i < 2)
                        continue;
                    zoomIn.Add(inMs[0]);
                    zoomOut.Add(outMs[0]);
                    readRange.Add(rangeMs);
                    readAll.Add(allMs);
                    drawnPoints = (int)inMs[1];
                }
                await context.CloseAsync();
                Console.WriteLine($"Chart '{keys}', {zooms} zooms into a random 1% ({lines / 100:N0} steps), {drawnPoints:N0} points in the first trace after a zoom:");
                Console.WriteLine($"{"figure",-52} {"p50",9} {"p95",9} {"target",10}");
                Print("zoom in: relayout → new detail drawn", zoomIn, "≤ 200 ms");
                Print("  ranged read over HTTP (one key, 2,000 points)", readRange, "");
                Print("zoom out (double-click): whole run drawn again", zoomOut, "");
                Print("  whole-run read over HTTP (reference)", readAll, "");
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

    private static async Task<double> TimeAsync(HttpClient http, string url)
    {
        var clock = Stopwatch.StartNew();
        await http.GetByteArrayAsync(url);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static void Print(string label, List<double> ms, string target)
    {
        ms.Sort();
        Console.WriteLine($"{label,-52} {Percentile.Of(ms, 50),6:0.0} ms {Percentile.Of(ms, 95),6:0.0} ms {target,10}");
    }
}
