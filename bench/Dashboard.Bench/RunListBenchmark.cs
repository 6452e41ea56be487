using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Dashboard.Bench;

/// <summary>
/// A team's store of many runs (10,000 by default, made through `POST /api/ingest` by the real
/// service binary: 20 projects, five metrics each, a tag on every tenth), then the run list's
/// queries timed as a page would ask them, beside issue 16's targets.
/// </summary>
public static class RunListBenchmark
{
    private const int Repeats = 30;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = ServiceProcess.Option(args, "--runs", 10_000);
        var root = Directory.CreateTempSubdirectory("dashboard-runlist-bench-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "runs"));
        Console.WriteLine($"Run list over {runs:N0} runs; machine: {Environment.ProcessorCount} cores, load average {ServiceProcess.LoadAverage()}");
        try
        {
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), Path.Combine(root, "runs"), ["--Reports:Automatic=false"], async (child, http) =>
            {
                var fill = Stopwatch.StartNew();
                await Parallel.ForEachAsync(Enumerable.Range(0, runs), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
                {
                    var lines = Enumerable.Range(1, 3).Select(step => string.Create(CultureInfo.InvariantCulture,
                        $"Iter {step * 100}/50000 | Loss_CE: {3.0 / step + i % 7 * 0.01:0.000} | Loss_FM: 0.037 | Loss_ST: 0.000 | Loss_D: 0.184 | ST_Count: 2")).ToArray();
                    using var answer = await http.PostAsJsonAsync("/api/ingest", new { project = $"project-{i % 20:00}", run = $"run-{i:00000}-lr{i % 5}e-4", lines }, token);
                    answer.EnsureSuccessStatusCode();
                    if (i % 10 == 0)
                    {
                        var made = await answer.Content.ReadFromJsonAsync<Ingested>(token);
                        (await http.PutAsJsonAsync($"/api/runs/{made!.RunId}/tags", new { tags = new[] { "sweep" } }, token)).EnsureSuccessStatusCode();
                    }
                });
                Console.WriteLine($"Made {runs:N0} runs through the API in {fill.Elapsed.TotalSeconds:0.0} s; service RSS {ServiceProcess.Status(child.Id, "VmRSS:") / 1024} MB");

                Console.WriteLine();
                Console.WriteLine($"{"query (median of " + Repeats + ", p95)",-48} {"median",10} {"p95",10} {"bytes",10} {"target",10}");
                await TimeAsync(http, "GET /api/runs (first page, 100 runs)", "/api/runs", "≤ 100 ms");
                await TimeAsync(http, "GET /api/runs?q=00042 (filter by text)", "/api/runs?q=00042", "≤ 150 ms");
                await TimeAsync(http, "GET /api/runs?q=lr3e (text, 2,000 match)", "/api/runs?q=lr3e", "≤ 150 ms");
                await TimeAsync(http, "GET /api/runs?project=project-07&sort=name", "/api/runs?project=project-07&sort=name", "");
                await TimeAsync(http, "GET /api/runs?tag=sweep&offset=500", "/api/runs?tag=sweep&offset=500", "");
                await TimeAsync(http, "GET /api/runs?limit=1000 (largest page)", "/api/runs?limit=1000", "");
                await TimeAsync(http, "GET / (home page, every run)", "/", "");
                Console.WriteLine($"service RSS after: {ServiceProcess.Status(child.Id, "VmRSS:") / 1024} MB (peak {ServiceProcess.Status(child.Id, "VmHWM:") / 1024} MB)");
                return 0;
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Ingested(long RunId);

    private static async Task TimeAsync(HttpClient http, string label, string url, string target)
    {
        var times = new List<double>();
        long bytes = 0;
        for (var i = 0; i < Repeats + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var body = await http.GetByteArrayAsync(url);
            // The first three warm the query path up and are not counted.
            if (i >= 3)
                times.Add(clock.Elapsed.TotalMilliseconds);
            bytes = body.Length;
        }
        times.Sort();
        Console.WriteLine($"{label,-48} {times[times.Count / 2],7:0.0} ms {times[(int)(times.Count * 0.95)],7:0.0} ms {bytes,10:N0} {target,10}");
    }
}
