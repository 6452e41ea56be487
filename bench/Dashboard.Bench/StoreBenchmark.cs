using System.Globalization;
using Npgsql;

namespace Dashboard.Bench;

/// <summary>
/// Cold ingest of the same S4GAN log by the real service on the embedded SQLite store and on
/// PostgreSQL, side by side in one run, then the downsampled read over HTTP. PostgreSQL gets a
/// database of its own made through the given connection string, and dropped afterwards.
/// </summary>
public static class StoreBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--store");
        if (at < 0 || at + 1 >= args.Length)
        {
            Console.Error.WriteLine("Usage: store --store \"Host=…;Database=…;Username=…\" [--lines N]  (the user must be allowed to create databases)");
            return 2;
        }
        var lines = ServiceProcess.Option(args, "--lines", 2_000_000);
        var root = Directory.CreateTempSubdirectory("dashboard-store-bench-").FullName;
        var admin = new NpgsqlConnectionStringBuilder(args[at + 1]);
        var database = $"dashboard_bench_{Environment.ProcessId}";
        try
        {
            var log = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "source")).FullName, "s4gan.log");
            var bytes = IngestBenchmark.Generate(IngestBenchmark.HealthyLines(lines), log, Path.Combine(root, "points.csv"));
            Console.WriteLine($"Generated {lines:N0} S4GAN lines ({lines * 5L:N0} points, {bytes / 1e6:0.0} MB); {Environment.ProcessorCount} cores, load average {ServiceProcess.LoadAverage()}");
            await ExecuteAsync(admin, $"CREATE DATABASE {database}");
            var store = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database }.ConnectionString;

            var sqlite = await IngestBenchmark.RunServiceAsync(root, lines, "sqlite", []);
            Console.WriteLine($"sqlite done; load average {ServiceProcess.LoadAverage()}");
            var postgres = await IngestBenchmark.RunServiceAsync(root, lines, "postgres", ["--store", store]);
            Console.WriteLine($"postgres done; load average {ServiceProcess.LoadAverage()}");

            var points = lines * 5.0;
            Console.WriteLine();
            Console.WriteLine($"Cold ingest of {lines:N0} lines / {points:N0} points, guide rules on:");
            Console.WriteLine($"{"store",-12} {"ingest",9} {"CPU",9} {"points/s",12} {"peak RSS",10} {"read 2,000 pts (HTTP p50/p95)",32}");
            foreach (var (name, run) in (ReadOnlySpan<(string, Dictionary<string, string>)>)[("SQLite", sqlite), ("PostgreSQL", postgres)])
            {
                var seconds = double.Parse(run["ingest_s"], CultureInfo.InvariantCulture);
                Console.WriteLine($"{name,-12} {seconds,7:0.00} s {run["cpu_s"],7} s {points / seconds,12:N0} {run["peak_rss_mb"],7} MB {$"{run["read_http_ms"]} / {run["read_http_p95_ms"]} ms",32}");
            }
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            Directory.Delete(root, recursive: true);
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnectionStringBuilder connection, string sql)
    {
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync();
    }
}
