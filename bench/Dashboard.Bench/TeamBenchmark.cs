using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Core.Rules;
using Dashboard.Tests.Support;

namespace Dashboard.Bench;

/// <summary>
/// A team's load: N runs each written at a steady rate of lines a second into files in the watched
/// folder (their lines spread evenly over each second, as independent trainers' would be, or with
/// <c>--burst</c> all at the same instants), M hub
/// clients each following one run. Measures newline → hub <c>points</c> message on the clients,
/// checks that every line written is stored (and every followed line arrived), and reads the
/// service's CPU time and peak RSS from /proc. Rules off and on, in alternating rounds.
/// </summary>
public static class TeamBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = ServiceProcess.Option(args, "--runs", 100);
        var rate = ServiceProcess.Option(args, "--rate", 2);
        var clients = Math.Min(runs, ServiceProcess.Option(args, "--clients", 50));
        var seconds = ServiceProcess.Option(args, "--seconds", 15);
        var repeats = ServiceProcess.Option(args, "--repeat", 2);
        var p99Target = ServiceProcess.Option(args, "--p99-target", 100);
        var p50Target = ServiceProcess.Option(args, "--p50-target", 20);
        // All runs writing at the same instant (trainers started together, logging on the same beat): the worst case for a serial pipeline.
        var burst = args.Contains("--burst");
        Console.WriteLine($"{runs} runs x {rate} lines/s ({(burst ? "all at the same instants" : "spread evenly over each second")}) for {seconds} s, {clients} hub clients each following one run; machine: {Environment.ProcessorCount} cores, load average before: {ServiceProcess.LoadAverage()}");
        var results = new List<(bool Rules, Round Round)>();
        for (var round = 1; round <= repeats; round++)
        {
            foreach (var rules in round % 2 == 1 ? (bool[])[false, true] : [true, false])
            {
                var result = await RunRoundAsync(runs, rate, clients, seconds, burst, rules);
                results.Add((rules, result));
                Console.WriteLine($"round {round}/{repeats}, rules {(rules ? "on" : "off")}: p50 {result.P50:0.0} ms, p99 {result.P99:0.0} ms, max {result.Max:0.0} ms, "
                    + $"lines stored {result.Stored:N0}/{result.Written:N0}, arrived {result.Arrived:N0}/{result.Followed:N0}, CPU {result.CpuShare:0}% of a core, peak RSS {result.PeakRssMb} MB; load average: {ServiceProcess.LoadAverage()}");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"{"figure (median of the rounds)",-44} {"rules off",12} {"rules on",12} {"target",12}");
        string Median(bool rules, Func<Round, double> figure, string format)
        {
            var values = results.Where(r => r.Rules == rules).Select(r => figure(r.Round)).Order().ToList();
            return ((values[(values.Count - 1) / 2] + values[values.Count / 2]) / 2).ToString(format, CultureInfo.InvariantCulture);
        }
        void Row(string name, Func<Round, double> figure, string format, string target) =>
            Console.WriteLine($"{name,-44} {Median(false, figure, format),12} {Median(true, figure, format),12} {target,12}");
        Row("newline -> hub message, p50 (ms)", r => r.P50, "0.0", $"<= {p50Target} ms");
        Row("newline -> hub message, p99 (ms)", r => r.P99, "0.0", $"<= {p99Target} ms");
        Row("  max (ms)", r => r.Max, "0.0", "");
        Row("lines lost (written - stored)", r => r.Written - r.Stored, "0", "0");
        Row("followed lines that never arrived", r => r.Followed - r.Arrived, "0", "0");
        Row("service CPU, % of one core", r => r.CpuShare, "0", "");
        Row("service peak RSS (MB)", r => r.PeakRssMb, "0", "");
        return results.All(r => r.Round.Written == r.Round.Stored && r.Round.Followed == r.Round.Arrived) ? 0 : 1;
    }

    private sealed record Round(double P50, double P99, double Max, long Written, long Stored, long Followed, long Arrived, double CpuShare, long PeakRssMb);

    private static async Task<Round> RunRoundAsync(int runs, int rate, int clients, int seconds, bool burst, bool rules)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-team-bench-").FullName;
        var watch = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        string[] arguments = rules ? [] : [.. GuideRules.Load().Keys.Select(id => $"--Rules:{id}:Enabled=false")];
        try
        {
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), watch, arguments, async (child, http) =>
            {
                var folder = Directory.CreateDirectory(Path.Combine(watch, "team")).FullName;
                var writers = Enumerable.Range(0, runs).Select(i => new FileStream(Path.Combine(folder, $"run{i:000}.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1)).ToArray();
                try
                {
                    // Step 0 of every run first, so the runs exist before anyone follows them.
                    for (var i = 0; i < runs; i++)
                        Write(writers[i], 0);
                    var ids = await WaitForRunsAsync(http, runs);
                    var written = new ConcurrentDictionary<(long Run, long Step), long>();
                    var arrived = new ConcurrentDictionary<(long Run, long Step), long>();
                    var hubs = new List<LiveHubClient>();
                    var address = http.BaseAddress!;
                    for (var c = 0; c < clients; c++)
                    {
                        var hub = await LiveHubClient.ConnectAsync(address);
                        await hub.InvokeAsync("Subscribe", ids[c]);
                        hubs.Add(hub);
                    }
                    using var stop = new CancellationTokenSource();
                    var listeners = hubs.Select(hub => ListenAsync(hub, arrived, stop.Token)).ToList();

                    var cpuBefore = ServiceProcess.CpuSeconds(child.Id);
                    var clock = Stopwatch.StartNew();
                    var steps = seconds * rate;
                    // Run i writes its k-th line at (k + i / runs) / rate seconds (the lines spread evenly), or at k / rate in a burst.
                    var due = new PriorityQueue<int, double>();
                    for (var i = 0; i < runs; i++)
                        due.Enqueue(i, burst ? 0 : (double)i / runs / rate);
                    var next = new int[runs];
                    while (due.TryDequeue(out var run, out var at))
                    {
                        var wait = at - clock.Elapsed.TotalSeconds;
                        if (wait > 0.001)
                            await Task.Delay(TimeSpan.FromSeconds(wait));
                        var step = ++next[run];
                        Write(writers[run], step);
                        written[(ids[run], step)] = Stopwatch.GetTimestamp();
                        if (step < steps)
                            due.Enqueue(run, at + 1.0 / rate);
                    }
                    var elapsed = clock.Elapsed.TotalSeconds;
                    var cpu = ServiceProcess.CpuSeconds(child.Id) - cpuBefore;
                    var stored = await WaitForStoredAsync(http, ids, steps + 1, TimeSpan.FromSeconds(60));
                    var followed = written.Keys.Where(k => ids.Take(clients).Contains(k.Run)).ToList();
                    var waited = Stopwatch.StartNew();
                    while (followed.Any(k => !arrived.ContainsKey(k)) && waited.Elapsed < TimeSpan.FromSeconds(10))
                        await Task.Delay(50);
                    await stop.CancelAsync();
                    await Task.WhenAll(listeners);
                    foreach (var hub in hubs)
                        await hub.DisposeAsync();
                    var latencies = followed.Where(arrived.ContainsKey).Select(k => Stopwatch.GetElapsedTime(written[k], arrived[k]).TotalMilliseconds).Order().ToList();
                    return new Round(Percentile.Of(latencies, 50), Percentile.Of(latencies, 99), latencies.Count == 0 ? double.NaN : latencies[^1],
                        written.Count + runs, stored, followed.Count, latencies.Count, cpu / elapsed * 100, ServiceProcess.Status(child.Id, "VmHWM:") / 1024);
                }
                finally
                {
                    foreach (var writer in writers)
                        await writer.DisposeAsync();
                }
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>One line with its newline in one write, straight to the file (no buffering in between).</summary>
    private static void Write(FileStream file, long step)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"Iter {step}/1000000 | Loss_CE: {1.0 + 1.0 / (step + 1):0.00000} | Loss_D: 0.35\n");
        file.Write(Encoding.UTF8.GetBytes(line));
    }

    /// <summary>Records when each (run, step) first reached this client.</summary>
    private static async Task ListenAsync(LiveHubClient hub, ConcurrentDictionary<(long Run, long Step), long> arrived, CancellationToken stop)
    {
        try
        {
            await foreach (var message in hub.Messages.ReadAllAsync(stop))
            {
                if (message.Target != "points")
                    continue;
                var body = message.Body;
                var runId = body.GetProperty("run").GetInt64();
                foreach (var point in body.GetProperty("points").GetProperty("Loss_CE").EnumerateArray())
                    arrived.TryAdd((runId, point[0].GetInt64()), message.ReceivedTimestamp);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The run ids of run000 … run{N-1}, in that order, once all of them are stored.</summary>
    private static async Task<long[]> WaitForRunsAsync(HttpClient http, int runs)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            // The list is paged (100 by default); a team of up to 1,000 runs fits one page.
            using var list = JsonDocument.Parse(await http.GetStringAsync("/api/runs?limit=1000"));
            var byName = list.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("id").GetInt64());
            var ids = Enumerable.Range(0, runs).Select(i => byName.FirstOrDefault(kv => kv.Key.StartsWith($"run{i:000}", StringComparison.Ordinal)).Value).ToArray();
            if (ids.All(id => id != 0))
                return ids;
            await Task.Delay(100);
        }
        throw new TimeoutException("The team's runs did not all show up.");
    }

    /// <summary>Lines stored in all, once every run holds all of its lines or the time is up.</summary>
    private static async Task<long> WaitForStoredAsync(HttpClient http, long[] ids, long linesPerRun, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long total;
        do
        {
            total = 0;
            foreach (var id in ids)
            {
                using var metrics = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{id}/metrics"));
                total += metrics.RootElement.EnumerateArray().Where(m => m.GetProperty("key").GetString() == "Loss_CE").Sum(m => m.GetProperty("count").GetInt64());
            }
            if (total == ids.Length * linesPerRun)
                return total;
            await Task.Delay(200);
        }
        while (clock.Elapsed < timeout);
        return total;
    }
}
