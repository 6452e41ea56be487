using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dashboard.Tests.Support;

namespace Dashboard.Bench;

/// <summary>
/// The agent role against the embedded default, in one run: the same S4GAN log ingested cold by a web instance
/// watching it itself, then by an agent process (its own watch and data folders) sending to a web instance
/// (SQLite, or PostgreSQL with --store: a database of its own made there and dropped afterwards); then line
/// written in the agent's folder → hub message, from that instance or, with --redis too, from a second web
/// instance on the same store and Redis.
/// </summary>
public static class AgentBenchmark
{
    private const string Key = "bench-agent-key";

    public static async Task<int> RunAsync(string[] args)
    {
        var lines = ServiceProcess.Option(args, "--lines", 2_000_000);
        var latencyLines = ServiceProcess.Option(args, "--latency-lines", 300);
        var at = Array.IndexOf(args, "--store");
        var admin = at >= 0 && at + 1 < args.Length ? new Npgsql.NpgsqlConnectionStringBuilder(args[at + 1]) : null;
        var redisAt = Array.IndexOf(args, "--redis");
        string[] redis = admin is not null && redisAt >= 0 && redisAt + 1 < args.Length ? ["--redis", args[redisAt + 1]] : [];
        var database = $"dashboard_agent_bench_{Environment.ProcessId}";
        string[] store = admin is null ? [] : ["--store", new Npgsql.NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database }.ConnectionString];
        var root = Directory.CreateTempSubdirectory("dashboard-agent-bench-").FullName;
        try
        {
            if (admin is not null)
                await StoreBenchmark.ExecuteAsync(admin, $"CREATE DATABASE {database}");
            var log = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "source")).FullName, "s4gan.log");
            var bytes = IngestBenchmark.Generate(IngestBenchmark.HealthyLines(lines), log, Path.Combine(root, "points.csv"));
            Console.WriteLine($"Generated {lines:N0} S4GAN lines ({lines * 5L:N0} points, {bytes / 1e6:0.0} MB); {Environment.ProcessorCount} cores, load average {ServiceProcess.LoadAverage()}");

            var direct = await IngestBenchmark.RunServiceAsync(root, lines, "direct", []);
            Console.WriteLine($"web instance watching the log itself: {direct["ingest_s"]} s; load average {ServiceProcess.LoadAverage()}");
            var agent = await ThroughAgentAsync(root, lines, latencyLines, [.. store, .. redis]);
            Console.WriteLine($"through the agent: {agent.IngestSeconds:0.00} s; load average {ServiceProcess.LoadAverage()}");

            var points = lines * 5.0;
            var directSeconds = double.Parse(direct["ingest_s"], CultureInfo.InvariantCulture);
            var engine = store.Length > 0 ? "PostgreSQL" : "SQLite";
            Console.WriteLine();
            Console.WriteLine($"Cold ingest of {lines:N0} lines / {points:N0} points, guide rules on:");
            Console.WriteLine($"{"path",-34} {"ingest",9} {"web CPU",9} {"agent CPU",10} {"points/s",12} {"target",12}");
            Console.WriteLine($"{"web watching the log (SQLite)",-34} {directSeconds,7:0.00} s {direct["cpu_s"],7} s {"",10} {points / directSeconds,12:N0} {"",12}");
            Console.WriteLine($"{$"agent -> web ({engine})",-34} {agent.IngestSeconds,7:0.00} s {agent.WebCpu,7:0.00} s {agent.AgentCpu,8:0.00} s {points / agent.IngestSeconds,12:N0} {">= 1,000,000",12}");
            Console.WriteLine($"{"  agent peak RSS",-34} {agent.AgentRssMb,9} MB");
            Console.WriteLine();
            agent.Latencies.Sort();
            var from = redis.Length > 0 ? "a second web instance (same store, Redis backplane)" : "the web instance the agent sends to";
            Console.WriteLine($"Line written in the agent's folder -> hub message from {from}, {agent.Latencies.Count} lines (20-60 ms apart):");
            Console.WriteLine($"{"figure",-10} {"measured",10} {"target",10}");
            Console.WriteLine($"{"median",-10} {Percentile.Of(agent.Latencies, 50),8:0.0} ms {"<= 50 ms",10}");
            Console.WriteLine($"{"p99",-10} {Percentile.Of(agent.Latencies, 99),8:0.0} ms {"<= 150 ms",10}");
            Console.WriteLine($"{"max",-10} {agent.Latencies[^1],8:0.0} ms");
            return 0;
        }
        finally
        {
            if (admin is not null)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await StoreBenchmark.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            }
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record AgentRun(double IngestSeconds, double WebCpu, double AgentCpu, long AgentRssMb, List<double> Latencies);

    private static Task<AgentRun> ThroughAgentAsync(string root, int lines, int latencyLines, string[] shared)
    {
        var webWatch = Directory.CreateDirectory(Path.Combine(root, "runs-web")).FullName;
        var agentWatch = Directory.CreateDirectory(Path.Combine(root, "runs-agent", "bench")).FullName;
        return ServiceProcess.RunAsync(Path.Combine(root, "data-web"), webWatch, ["--api-key", Key, .. shared], async (web, http) =>
        {
            var output = new StringBuilder();
            using var agent = ServiceProcess.Start(
                ["agent", "--server", http.BaseAddress!.ToString(), "--api-key", Key, "--node", "bench-node", "--watch", Path.GetDirectoryName(agentWatch)!,
                 "--data", Path.Combine(root, "data-agent"), "--Logging:LogLevel:Default=Warning"],
                output);
            try
            {
                await Task.Delay(1000);
                var webCpu = ServiceProcess.CpuSeconds(web.Id);
                var agentCpu = ServiceProcess.CpuSeconds(agent.Id);
                var clock = Stopwatch.StartNew();
                File.Move(Path.Combine(root, "source", "s4gan.log"), Path.Combine(agentWatch, "s4gan.log"));
                await IngestBenchmark.WaitUntilStoredAsync(http, lines, TimeSpan.FromMinutes(10));
                var seconds = clock.Elapsed.TotalSeconds;
                webCpu = ServiceProcess.CpuSeconds(web.Id) - webCpu;
                agentCpu = ServiceProcess.CpuSeconds(agent.Id) - agentCpu;
                var rss = ServiceProcess.Status(agent.Id, "VmHWM:") / 1024;
                var latencyLog = Path.Combine(agentWatch, "latency.log");
                var latencies = shared.Contains("--redis")
                    ? await ServiceProcess.RunAsync(Path.Combine(root, "data-web2"), webWatch, ["--api-key", Key, .. shared],
                        (_, other) => LatenciesAsync(other, latencyLog, latencyLines))
                    : await LatenciesAsync(http, latencyLog, latencyLines);
                return new AgentRun(seconds, webCpu, agentCpu, rss, latencies);
            }
            catch
            {
                lock (output)
                    Console.WriteLine(output);
                throw;
            }
            finally
            {
                agent.Kill();
                await agent.WaitForExitAsync();
            }
        });
    }

    private static async Task<List<double>> LatenciesAsync(HttpClient http, string log, int count)
    {
        await using var writer = new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
        await writer.WriteAsync(LineLatency.Line(0));
        await writer.FlushAsync();
        var runId = await RunIdAsync(http, "latency");
        await using var client = await LiveHubClient.ConnectAsync(http.BaseAddress!);
        await client.InvokeAsync("Subscribe", runId);
        var latencies = await LineLatency.MeasureAsync(writer, client, count);
        return latencies;
    }

    private static async Task<long> RunIdAsync(HttpClient http, string name)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            using var runs = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/runs"));
            foreach (var run in runs.RootElement.EnumerateArray())
            {
                if (run.GetProperty("name").GetString() == name)
                    return run.GetProperty("id").GetInt64();
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The run '{name}' never showed up.");
    }
}
