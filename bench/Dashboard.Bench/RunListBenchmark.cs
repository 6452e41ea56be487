using System.Diagnostics;
using System.Globalization;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Bench;

/// <summary>
/// A team's store of many runs (10,000 by default: 20 projects, five metrics each, a tag on every
/// tenth), generated into the store the real service binary made, then the run list's queries
/// timed as a page would ask them, beside issue 16's targets.
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
            var data = Path.Combine(root, "data");
            // The service makes the schema; the runs are then written straight into its store, as
            // 10,000 trainings would have left it (through the API it takes minutes on 2 cores).
            await ServiceProcess.RunAsync(data, Path.Combine(root, "runs"), [], (_, _) => Task.FromResult(0));
            var fill = Stopwatch.StartNew();
            await GenerateAsync(Path.Combine(data, "dashboard.db"), runs);
            Console.WriteLine($"Generated {runs:N0} runs (20 projects, 5 metrics each, a tag on every tenth) in {fill.Elapsed.TotalSeconds:0.0} s");
            return await ServiceProcess.RunAsync(data, Path.Combine(root, "runs"), ["--Reports:Automatic=false"], async (child, http) =>
            {
                Console.WriteLine($"Service RSS with the store open: {ServiceProcess.Status(child.Id, "VmRSS:") / 1024} MB");
                Console.WriteLine();
                Console.WriteLine($"{"query (median of " + Repeats + ", p95)",-48} {"median",10} {"p95",10} {"bytes",10} {"target",10}");
                await TimeAsync(http, "GET /api/runs (first page, 100 runs)", "/api/runs", "≤ 100 ms");
                await TimeAsync(http, "GET /api/runs?q=00042 (filter by text)", "/api/runs?q=00042", "≤ 150 ms");
                await TimeAsync(http, "GET /api/runs?q=lr3e (text, 2,000 match)", "/api/runs?q=lr3e", "≤ 150 ms");
                await TimeAsync(http, "GET /api/runs?project=project-07&sort=name", "/api/runs?project=project-07&sort=name", "");
                await TimeAsync(http, "GET /api/runs?sort=last:Loss_CE (by a metric)", "/api/runs?sort=last:Loss_CE", "");
                await TimeAsync(http, "GET /api/runs?q=lr3e&sort=-last:Loss_CE", "/api/runs?q=lr3e&sort=-last:Loss_CE", "");
                await TimeAsync(http, "GET /api/runs?tag=sweep&offset=500", "/api/runs?tag=sweep&offset=500", "");
                await TimeAsync(http, "GET /api/runs?limit=1000 (largest page)", "/api/runs?limit=1000", "");
                await TimeAsync(http, "GET /api/runs/5000 (a run, its related runs)", "/api/runs/5000", "");
                await TimeAsync(http, "GET / (home page: one page of 100)", "/", "");
                Console.WriteLine($"service RSS after: {ServiceProcess.Status(child.Id, "VmRSS:") / 1024} MB (peak {ServiceProcess.Status(child.Id, "VmHWM:") / 1024} MB)");
                return 0;
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task GenerateAsync(string file, int runs)
    {
        var options = new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite($"Data Source={file}").Options;
        await using var db = new DashboardDbContext(options);
        var start = DateTimeOffset.UtcNow.AddDays(-60).ToUnixTimeMilliseconds();
        var entities = Enumerable.Range(0, runs).Select(i => new RunEntity
        {
            Name = $"run-{i:00000}-lr{i % 5}e-4",
            Project = $"project-{i % 20:00}",
            Source = $"/data/trainings/project-{i % 20:00}/run-{i:00000}.log",
            Status = (RunStatus)(i % 4),
            Step = 1000 + i,
            TotalSteps = 50_000,
            StartedAtMs = start + i * 500_000L,
            UpdatedAtMs = start + i * 500_000L + 3_600_000,
        }).ToList();
        db.Runs.AddRange(entities);
        await db.SaveChangesAsync();
        foreach (var run in entities)
        {
            foreach (var key in (string[])["Loss_CE", "Loss_FM", "Loss_ST", "Loss_D", "ST_Count"])
                db.Metrics.Add(new MetricEntity { RunId = run.Id, Key = key, Count = 10, FirstStep = 100, FirstValue = 3.0, LastStep = run.Step!.Value, LastValue = 0.5 + run.Id * 7919 % 1000 / 1000.0 });
            if (run.Id % 10 == 0)
                db.Add(new RunTagEntity { RunId = run.Id, Tag = "sweep" });
        }
        await db.SaveChangesAsync();
    }

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
