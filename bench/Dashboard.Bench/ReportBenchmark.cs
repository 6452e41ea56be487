using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Dashboard.Bench;

/// <summary>
/// The report of a big finished run: the S4GAN log (five metrics a line) ingested by the real
/// service binary, then one report made through the API while /proc shows what it costs the
/// service, apart from what the ingest already took.
/// </summary>
public static class ReportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var lines = ServiceProcess.Option(args, "--lines", 1_000_000);
        var root = Directory.CreateTempSubdirectory("dashboard-report-bench-").FullName;
        var watch = Directory.CreateDirectory(Path.Combine(root, "runs", "bench")).FullName;
        var csv = Path.Combine(root, "points.csv");
        IngestBenchmark.Generate(IngestBenchmark.HealthyLines(lines), Path.Combine(root, "s4gan.log"), csv);
        File.Delete(csv);
        Console.WriteLine($"Generated {lines:N0} S4GAN lines ({lines * (long)IngestBenchmark.Keys.Length:N0} points); machine: {Environment.ProcessorCount} cores, load average {ServiceProcess.LoadAverage()}");

        try
        {
            // Automatic reports off: the report below is the only one, made when the bench asks.
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), Path.Combine(root, "runs"), ["--Reports:Automatic=false"], async (child, http) =>
            {
                File.Move(Path.Combine(root, "s4gan.log"), Path.Combine(watch, "s4gan.log"));
                var runId = await IngestBenchmark.WaitUntilStoredAsync(http, lines, TimeSpan.FromMinutes(10));
                await ServiceProcess.WaitUntilIdleAsync(child.Id);
                var ingestPeak = ServiceProcess.Status(child.Id, "VmHWM:") / 1024;
                var before = ServiceProcess.Status(child.Id, "VmRSS:") / 1024;
                // Linux: writing 5 to clear_refs sets the peak back to the current RSS, so the peak read after is the report's own.
                await File.WriteAllTextAsync($"/proc/{child.Id}/clear_refs", "5");

                var cpuBefore = ServiceProcess.CpuSeconds(child.Id);
                var clock = Stopwatch.StartNew();
                using var response = await http.PostAsync($"/api/runs/{runId}/reports", null);
                response.EnsureSuccessStatusCode();
                var seconds = clock.Elapsed.TotalSeconds;
                var cpu = ServiceProcess.CpuSeconds(child.Id) - cpuBefore;
                var peak = ServiceProcess.Status(child.Id, "VmHWM:") / 1024;
                var after = ServiceProcess.Status(child.Id, "VmRSS:") / 1024;

                // Then what reading it costs: the page, and the whole points CSV downloaded.
                using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var token = created.RootElement.GetProperty("token").GetString();
                await File.WriteAllTextAsync($"/proc/{child.Id}/clear_refs", "5");
                var readClock = Stopwatch.StartNew();
                (await http.GetAsync($"/r/{token}")).EnsureSuccessStatusCode();
                using var download = await http.GetStreamAsync($"/r/{token}/points.csv");
                var csvBytes = await CountBytesAsync(download);
                var readSeconds = readClock.Elapsed.TotalSeconds;
                var readPeak = ServiceProcess.Status(child.Id, "VmHWM:") / 1024;

                Console.WriteLine();
                Console.WriteLine($"Report of a {lines * (long)IngestBenchmark.Keys.Length:N0}-point run ({IngestBenchmark.Keys.Length} metrics):");
                Console.WriteLine($"{"figure",-44} {"measured",12}");
                Console.WriteLine($"{"time to make it (POST, wall)",-44} {seconds,10:0.00} s");
                Console.WriteLine($"{"  service CPU time",-44} {cpu,10:0.00} s");
                Console.WriteLine($"{"service RSS before the report (VmRSS)",-44} {before,9} MB");
                Console.WriteLine($"{"service peak RSS while making it (VmHWM)",-44} {peak,9} MB");
                Console.WriteLine($"{"service RSS after (VmRSS)",-44} {after,9} MB");
                Console.WriteLine($"{"  peak RSS of the ingest before it",-44} {ingestPeak,9} MB");
                Console.WriteLine($"{"page + points CSV download, wall",-44} {readSeconds,10:0.00} s");
                Console.WriteLine($"{"  CSV size (uncompressed)",-44} {csvBytes / 1e6,9:0.0} MB");
                Console.WriteLine($"{"  service peak RSS while serving them",-44} {readPeak,9} MB");
                return 0;
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<long> CountBytesAsync(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            total += read;
        return total;
    }
}
