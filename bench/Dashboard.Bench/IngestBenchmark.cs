using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Core.Simulation;
using Dashboard.Storage;
using Dashboard.Storage.Points;
using Microsoft.Data.Sqlite;

namespace Dashboard.Bench;

/// <summary>
/// Cold ingest of a whole S4GAN log (five metrics per line) into an empty store, side by side with a
/// one-row-per-point SQLite table filled by the sqlite3 CLI's .import and by a Python script, then
/// the downsampled read of one metric. The service (the real binary) runs in a child process, so its
/// peak memory and CPU time are its own and not the generator's.
/// </summary>
public static class IngestBenchmark
{
    internal static readonly string[] Keys = ["Loss_CE", "Loss_FM", "Loss_ST", "Loss_D", "ST_Count"];
    private const int ReadRepeats = 20;
    // A running service has served many reads: enough warm-up calls for the JIT's tiering to settle.
    private const int ReadWarmups = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var lines = ServiceProcess.Option(args, "--lines", 2_000_000);
        var repeats = ServiceProcess.Option(args, "--repeat", 3);
        var unhealthy = args.Contains("--unhealthy");
        var root = Directory.CreateTempSubdirectory("dashboard-ingest-bench-").FullName;
        try
        {
            var log = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "source")).FullName, "s4gan.log");
            var csv = Path.Combine(root, "points.csv");
            var generation = Stopwatch.StartNew();
            var logBytes = Generate(unhealthy ? UnhealthyLog.Lines(lines) : HealthyLines(lines), log, csv);
            Console.WriteLine($"Generated {(unhealthy ? "an unhealthy log (random losses, NaN bursts, spikes, resumes) of " : "")}{lines:N0} S4GAN steps ({lines * 5L:N0} points, {logBytes / 1e6:0.0} MB) in {generation.Elapsed.TotalSeconds:0.0} s under {root}");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average before: {ServiceProcess.LoadAverage()}");

            // The same log with every rule off (the issue-3 baseline) and with the rules in force, in
            // turns, several times, each going first every other round: on a shared machine one pair of
            // runs differs by more than the rules cost, and the first of a pair tends to be the slower.
            var offRuns = new List<Dictionary<string, string>>();
            var onRuns = new List<Dictionary<string, string>>();
            for (var round = 1; round <= repeats; round++)
            {
                var off = () => RunServiceAsync(root, lines, $"norules{round}", [.. GuideRules.Load().Keys.Select(id => $"--Rules:{id}:Enabled=false")]);
                var on = () => RunServiceAsync(root, lines, $"rules{round}", []);
                if (round % 2 == 1)
                {
                    offRuns.Add(await off());
                    onRuns.Add(await on());
                }
                else
                {
                    onRuns.Add(await on());
                    offRuns.Add(await off());
                }
                Console.WriteLine($"round {round}/{repeats}: rules off {offRuns[^1]["ingest_s"]} s, on {onRuns[^1]["ingest_s"]} s; load average: {ServiceProcess.LoadAverage()}");
                if (round < repeats)
                {
                    Directory.Delete(Path.Combine(root, $"data-norules{round}"), recursive: true);
                    Directory.Delete(Path.Combine(root, $"data-rules{round}"), recursive: true);
                }
            }
            var service = onRuns[^1];
            var dataRules = Path.Combine(root, $"data-rules{repeats}");
            var serviceBytes = CheckpointedSize(Path.Combine(dataRules, "dashboard.db"));
            var (alertsRaised, alertsResolved, alertsByRule) = AlertCounts(Path.Combine(dataRules, "dashboard.db"));
            var (storeMs, storeCpuMs) = await StoreReadMsAsync(dataRules, long.Parse(service["run_id"], CultureInfo.InvariantCulture));
            service["read_store_ms"] = storeMs.ToString("0.0", CultureInfo.InvariantCulture);
            service["read_store_cpu_ms"] = storeCpuMs.ToString("0.0", CultureInfo.InvariantCulture);

            var sqliteDb = Path.Combine(root, "sqlite3.db");
            var sqlite = await TimeAsync("sqlite3", [sqliteDb], $"""
                CREATE TABLE points (metric_id INTEGER NOT NULL, step INTEGER NOT NULL, value REAL, PRIMARY KEY (metric_id, step)) WITHOUT ROWID;
                .mode csv
                .import '{csv}' points
                SELECT count(*) FROM points;
                """);
            var sqliteBytes = CheckpointedSize(sqliteDb);
            Console.WriteLine($"sqlite3 .import done: {sqlite.Seconds:0.00} s ({sqlite.Output.Trim()} rows); load average: {ServiceProcess.LoadAverage()}");

            var pythonDb = Path.Combine(root, "python.db");
            var python = await TimeAsync("python3", [FindScript(), Path.Combine(root, "source", "s4gan.log"), pythonDb], null);
            var pythonBytes = CheckpointedSize(pythonDb);
            Console.WriteLine($"python3 done: {python.Seconds:0.00} s ({python.Output.Trim()} rows); load average: {ServiceProcess.LoadAverage()}");

            var points = lines * 5.0;
            var ingest = Median(onRuns, "ingest_s");
            var ingestNoRules = Median(offRuns, "ingest_s");
            Console.WriteLine();
            Console.WriteLine($"Cold ingest of {lines:N0} lines / {points:N0} points; the service's figures are medians of {repeats} runs:");
            Console.WriteLine($"{"",-28} {"ingest",9} {"CPU",9} {"points/s",12} {"bytes/point",12} {"peak RSS",10}");
            Console.WriteLine($"{"dashboard, rules off",-28} {ingestNoRules,7:0.00} s {Median(offRuns, "cpu_s"),7:0.00} s {points / ingestNoRules,12:N0} {"",12} {Median(offRuns, "peak_rss_mb"),7} MB");
            Console.WriteLine($"{"dashboard, guide rules on",-28} {ingest,7:0.00} s {Median(onRuns, "cpu_s"),7:0.00} s {points / ingest,12:N0} {serviceBytes / points,12:0.00} {Median(onRuns, "peak_rss_mb"),7} MB");
            Console.WriteLine($"{"sqlite3 CLI .import (rows)",-28} {sqlite.Seconds,7:0.00} s {sqlite.CpuSeconds,7:0.00} s {points / sqlite.Seconds,12:N0} {sqliteBytes / points,12:0.00} {sqlite.PeakRssMb,7} MB");
            Console.WriteLine($"{"python3 re + sqlite3 (rows)",-28} {python.Seconds,7:0.00} s {python.CpuSeconds,7:0.00} s {points / python.Seconds,12:N0} {pythonBytes / points,12:0.00} {python.PeakRssMb,7} MB");
            Console.WriteLine();
            Console.WriteLine($"{"figure",-44} {"measured",12} {"target",12}");
            Console.WriteLine($"{"ingest speed-up over sqlite3 .import",-44} {sqlite.Seconds / ingest,11:0.0}x {(unhealthy ? ">= 3x" : ">= 2x"),12}");
            Console.WriteLine($"{"  same, in CPU time",-44} {sqlite.CpuSeconds / Median(onRuns, "cpu_s"),11:0.0}x {"",12}");
            Console.WriteLine($"{"rules' cost on ingest time (on vs off)",-44} {(ingest / ingestNoRules - 1) * 100,10:+0.0;-0.0}% {"<= +10%",12}");
            Console.WriteLine($"{"  each run, off / on (s)",-44} {string.Join("  ", offRuns.Zip(onRuns, (off, on) => $"{off["ingest_s"]}/{on["ingest_s"]}"))}");
            Console.WriteLine($"{"  rules settled after ingest (CPU idle)",-44} {Median(onRuns, "settled_s"),10:0.00} s {"",12}");
            Console.WriteLine($"{"  CPU until settled, on vs off",-44} {$"{Median(onRuns, "cpu_settled_s"):0.00} / {Median(offRuns, "cpu_settled_s"):0.00}",12} {"",12}");
            Console.WriteLine($"{"  alerts stored (raised / resolved), rules on",-44} {$"{alertsRaised:N0} / {alertsResolved:N0}",12} {"",12}");
            Console.WriteLine($"{"  most raised (rule metric count)",-44} {alertsByRule}");
            Console.WriteLine($"{"bytes on disk per point (db + wal)",-44} {serviceBytes / points,12:0.00} {"<= 8",12}");
            Console.WriteLine($"{"peak RSS of the service (VmHWM), ingest",-44} {service["peak_rss_ingest_mb"],9} MB {"< 300 MB",12}");
            Console.WriteLine($"{"  same, after the reads too",-44} {service["peak_rss_mb"],9} MB {"< 300 MB",12}");
            Console.WriteLine($"{"  ingest peaks, anonymous / file-backed, off",-44} {$"{Median(offRuns, "peak_anon_ingest_mb")} / {Median(offRuns, "peak_file_ingest_mb")} MB",12}");
            Console.WriteLine($"{"  ingest peaks, anonymous / file-backed, on",-44} {$"{Median(onRuns, "peak_anon_ingest_mb")} / {Median(onRuns, "peak_file_ingest_mb")} MB",12}");
            Console.WriteLine($"{"  anonymous peak until settled, off / on",-44} {$"{Median(offRuns, "peak_anon_settled_mb")} / {Median(onRuns, "peak_anon_settled_mb")} MB",12}");
            Console.WriteLine($"{"read Loss_CE -> 2,000 pts, HTTP median",-44} {service["read_http_ms"],9} ms {"< 20 ms",12}");
            Console.WriteLine($"{"  same, HTTP p95",-44} {service["read_http_p95_ms"],9} ms {"",12}");
            Console.WriteLine($"{"  same, IPointStore.ReadAsync median",-44} {service["read_store_ms"],9} ms {"",12}");
            Console.WriteLine($"{"  same, IPointStore.ReadAsync CPU time, mean",-44} {service["read_store_cpu_ms"],9} ms {"",12}");
            Console.WriteLine($"{"  points in the answer",-44} {service["read_points"],12} {"<= 2000",12}");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The healthy simulator's S4GAN log: no evaluation blocks, five metrics a line.</summary>
    internal static IEnumerable<(string Line, bool Repeat)> HealthyLines(int lines) =>
        new S4GanLogSimulator(totalSteps: lines, logEvery: 1, evaluateEvery: 0, learningRates: false).Lines().Select(line => (line, false));

    /// <summary>The log and the points it leaves stored as CSV (a resume's repeated lines replace points, so they are not rows again).</summary>
    internal static long Generate(IEnumerable<(string Line, bool Repeat)> lines, string log, string csv)
    {
        using (var logWriter = new StreamWriter(log, false, new UTF8Encoding(false), 1 << 20))
        using (var csvWriter = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20))
        {
            foreach (var (line, repeat) in lines)
            {
                logWriter.Write(line);
                logWriter.Write('\n');
                if (repeat || !line.StartsWith("Iter ", StringComparison.Ordinal))
                    continue;
                var parts = line.Split(" | ");
                var step = parts[0][5..parts[0].IndexOf('/')];
                for (var i = 1; i < parts.Length; i++)
                {
                    var colon = parts[i].IndexOf(": ", StringComparison.Ordinal);
                    csvWriter.Write(Array.IndexOf(Keys, parts[i][..colon]) + 1);
                    csvWriter.Write(',');
                    csvWriter.Write(step);
                    csvWriter.Write(',');
                    csvWriter.Write(parts[i].AsSpan(colon + 2));
                    csvWriter.Write('\n');
                }
            }
        }
        return new FileInfo(log).Length;
    }

    /// <summary>
    /// The real service binary (its own runtime settings, server GC included) in a child process on
    /// an empty data folder; the log is moved into its watch folder and the clock runs until
    /// /api/runs shows the last step and the metrics count every point.
    /// </summary>
    internal static async Task<Dictionary<string, string>> RunServiceAsync(string root, int lines, string label, string[] extraArguments)
    {
        var watch = Directory.CreateDirectory(Path.Combine(root, $"runs-{label}")).FullName;
        try
        {
            return await ServiceProcess.RunAsync(Path.Combine(root, $"data-{label}"), watch, extraArguments, async (child, http) =>
            {
                var results = new Dictionary<string, string>();
                var target = Path.Combine(Directory.CreateDirectory(Path.Combine(watch, "bench")).FullName, "s4gan.log");
                var cpuBefore = ServiceProcess.CpuSeconds(child.Id);
                await using var memory = new MemorySampler(child.Id);
                var clock = Stopwatch.StartNew();
                File.Move(Path.Combine(root, "source", "s4gan.log"), target);
                var runId = await WaitUntilStoredAsync(http, lines, TimeSpan.FromMinutes(10));
                results["ingest_s"] = clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                results["cpu_s"] = (ServiceProcess.CpuSeconds(child.Id) - cpuBefore).ToString("0.00", CultureInfo.InvariantCulture);
                results["peak_rss_ingest_mb"] = (ServiceProcess.Status(child.Id, "VmHWM:") / 1024).ToString(CultureInfo.InvariantCulture);
                results["peak_anon_ingest_mb"] = (memory.PeakAnonKb / 1024).ToString(CultureInfo.InvariantCulture);
                results["peak_file_ingest_mb"] = (memory.PeakFileKb / 1024).ToString(CultureInfo.InvariantCulture);
                // The rules run after each commit, beside the writer: wait until the process is idle to see what they cost in all.
                var (settled, cpuSettled) = await ServiceProcess.WaitUntilIdleAsync(child.Id);
                results["peak_anon_settled_mb"] = (memory.PeakAnonKb / 1024).ToString(CultureInfo.InvariantCulture);
                results["settled_s"] = settled.ToString("0.00", CultureInfo.InvariantCulture);
                results["cpu_settled_s"] = (cpuSettled - cpuBefore).ToString("0.00", CultureInfo.InvariantCulture);

                var url = $"/api/runs/{runId}/metrics/Loss_CE?maxPoints=2000";
                var timings = new List<double>();
                var count = 0;
                for (var i = 0; i < ReadRepeats + ReadWarmups; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var body = JsonDocument.Parse(await http.GetStringAsync(url));
                    if (i >= ReadWarmups)
                        timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    count = body.RootElement.GetProperty("points").GetArrayLength();
                }
                timings.Sort();
                results["read_http_ms"] = Percentile.Of(timings, 50).ToString("0.0", CultureInfo.InvariantCulture);
                results["read_http_p95_ms"] = Percentile.Of(timings, 95).ToString("0.0", CultureInfo.InvariantCulture);
                results["read_points"] = count.ToString(CultureInfo.InvariantCulture);
                results["run_id"] = runId.ToString(CultureInfo.InvariantCulture);
                results["peak_rss_mb"] = (ServiceProcess.Status(child.Id, "VmHWM:") / 1024).ToString(CultureInfo.InvariantCulture);
                return results;
            });
        }
        finally
        {
            // The next run takes the same log.
            var moved = Path.Combine(watch, "bench", "s4gan.log");
            if (File.Exists(moved))
                File.Move(moved, Path.Combine(root, "source", "s4gan.log"));
        }
    }

    /// <summary>The same downsampled read, in this process, straight from the store the service left.</summary>
    private static async Task<(double WallMs, double CpuMs)> StoreReadMsAsync(string dataFolder, long runId)
    {
        var database = new SqliteDatabase(Path.Combine(dataFolder, "dashboard.db"));
        var store = new SqlitePointStore(database);
        long metricId;
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Id FROM metrics WHERE RunId = $r AND Key = 'Loss_CE'";
            command.Parameters.AddWithValue("$r", runId);
            metricId = (long)(await command.ExecuteScalarAsync())!;
        }
        var timings = new List<double>();
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < ReadRepeats + ReadWarmups; i++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            await store.ReadAsync(metricId, StepRange.All, 2000, CancellationToken.None);
            if (i < ReadWarmups)
                continue;
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        }
        SqliteConnection.ClearAllPools();
        timings.Sort();
        return (Percentile.Of(timings, 50), cpu.TotalMilliseconds / ReadRepeats);
    }

    internal static async Task<long> WaitUntilStoredAsync(HttpClient http, long lines, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            using var runs = JsonDocument.Parse(await http.GetStringAsync("/api/runs"));
            var step = runs.RootElement.GetArrayLength() > 0 ? runs.RootElement[0].GetProperty("step").GetInt64() : 0;
            // Asked often only near the end: fifty questions a second cost the service about a tenth of its CPU (each
            // a query and a JSON answer), which the ingest's figure then carried.
            if (step < lines * 9 / 10)
            {
                await Task.Delay(200);
                continue;
            }
            if (step == lines)
            {
                var id = runs.RootElement[0].GetProperty("id").GetInt64();
                using var metrics = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{id}/metrics"));
                var stored = metrics.RootElement.EnumerateArray().Sum(m => m.GetProperty("count").GetInt64());
                if (stored == lines * Keys.Length)
                    return id;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The benchmark log was not stored in time.");
    }

    /// <summary>The middle run's figure, or the mean of the middle two for an even number of runs.</summary>
    private static double Median(List<Dictionary<string, string>> runs, string figure)
    {
        var values = runs.Select(run => double.Parse(run[figure], CultureInfo.InvariantCulture)).Order().ToList();
        return (values[(values.Count - 1) / 2] + values[values.Count / 2]) / 2;
    }

    /// <summary>Alerts the rules raised on the run, how many of them were resolved, and the rules that raised most.</summary>
    private static (long Raised, long Resolved, string ByRule) AlertCounts(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*), count(ResolvedAtMs) FROM alerts";
        long raised, resolved;
        using (var reader = count.ExecuteReader())
        {
            reader.Read();
            (raised, resolved) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        count.CommandText = "SELECT RuleId || ' ' || Metric, count(*) FROM alerts GROUP BY RuleId, Metric ORDER BY 2 DESC LIMIT 6";
        var byRule = new List<string>();
        using (var reader = count.ExecuteReader())
        {
            while (reader.Read())
                byRule.Add($"{reader.GetString(0)} {reader.GetInt64(1):N0}");
        }
        return (raised, resolved, string.Join(", ", byRule));
    }

    /// <summary>Bytes of the database file and its WAL, after folding the WAL into the file.</summary>
    private static long CheckpointedSize(string path)
    {
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        return new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
    }

    /// <summary>Runs a baseline under /usr/bin/time (when there) for its CPU time and peak RSS besides the wall time.</summary>
    private static async Task<(double Seconds, string Output, double CpuSeconds, long PeakRssMb)> TimeAsync(string program, string[] arguments, string? input)
    {
        var usage = Path.GetTempFileName();
        var timed = File.Exists("/usr/bin/time");
        var start = new ProcessStartInfo(timed ? "/usr/bin/time" : program) { RedirectStandardInput = input is not null, RedirectStandardOutput = true, UseShellExecute = false };
        if (timed)
            foreach (var argument in (string[])["-f", "%U %S %M", "-o", usage, program])
                start.ArgumentList.Add(argument);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}.");
        double cpu = double.NaN;
        long rss = -1;
        if (timed && File.ReadAllText(usage).Trim().Split(' ') is [var user, var system, var kb])
        {
            cpu = double.Parse(user, CultureInfo.InvariantCulture) + double.Parse(system, CultureInfo.InvariantCulture);
            rss = long.Parse(kb, CultureInfo.InvariantCulture) / 1024;
        }
        File.Delete(usage);
        return (seconds, output, cpu, rss);
    }

    private static string FindScript()
    {
        foreach (var start in (string[])[Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var script = Path.Combine(folder.FullName, "bench", "ingest_baseline.py");
                if (File.Exists(script))
                    return script;
            }
        }
        throw new FileNotFoundException("bench/ingest_baseline.py not found above the current folder.");
    }
}
