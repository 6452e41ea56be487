using System.Globalization;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Bench;

/// <summary>
/// Time from a log line's newline being written to the hub's points message reaching a subscribed
/// client, through the real watcher, parser, writer (SQLite commit) and hub, on the local disk.
/// </summary>
public static class LatencyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var lines = args.Length >= 2 && args[0] == "--lines" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400;
        var root = Directory.CreateTempSubdirectory("dashboard-bench-").FullName;
        var log = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "runs", "bench")).FullName, "latency.log");
        try
        {
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs")],
                new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            await using var writer = new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
            await writer.WriteAsync(LineLatency.Line(0));
            await writer.FlushAsync();
            var runId = await WaitForRunAsync(address);
            await using var client = await LiveHubClient.ConnectAsync(address);
            await client.InvokeAsync("Subscribe", runId);

            var latencies = await LineLatency.MeasureAsync(writer, client, lines);
            await app.StopAsync();
            Report(latencies);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }


    private static async Task<long> WaitForRunAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var runs = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/runs"));
            if (runs.RootElement.GetArrayLength() > 0)
                return runs.RootElement[0].GetProperty("id").GetInt64();
            await Task.Delay(50);
        }
        throw new TimeoutException("The benchmark log never showed up as a run.");
    }

    private static void Report(List<double> latencies)
    {
        latencies.Sort();
        Console.WriteLine($"Line written -> hub message received, {latencies.Count} lines, one at a time (20-60 ms apart):");
        Console.WriteLine($"{"figure",-10} {"measured",10} {"target",10}");
        Console.WriteLine($"{"median",-10} {Percentile.Of(latencies, 50),8:0.0} ms {"<= 50 ms",10}");
        Console.WriteLine($"{"p95",-10} {Percentile.Of(latencies, 95),8:0.0} ms {"",10}");
        Console.WriteLine($"{"p99",-10} {Percentile.Of(latencies, 99),8:0.0} ms {"<= 150 ms",10}");
        Console.WriteLine($"{"max",-10} {latencies[^1],8:0.0} ms {"",10}");
    }
}
