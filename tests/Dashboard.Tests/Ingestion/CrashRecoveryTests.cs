using System.Diagnostics;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Ingestion;

/// <summary>The service is killed with SIGKILL while a log grows; a restart must store every point exactly once.</summary>
public sealed class CrashRecoveryTests
{
    private const int Lines = 4000;

    [Fact]
    public async Task SIGKILL_while_a_log_grows_then_restart_stores_every_point_exactly_once()
    {
        await using var host = await TestHost.StartAsync();
        await host.StopAsync();
        var log = host.LogPath("p", "killed.log");

        var output = new System.Text.StringBuilder();
        using var service = StartServiceProcess(host, output);
        var written = 0;
        try
        {
            await AppendLinesAsync(log, written, 20);
            written += 20;
            try
            {
                await TestHost.EventuallyAsync(() => Task.FromResult(StoredOffset(host, log)), offset => offset > 0 || service.HasExited,
                    "the service process's first commit", 60_000);
            }
            catch (TimeoutException timeout)
            {
                lock (output)
                    throw new TimeoutException($"{timeout.Message} Its output:\n{output}", timeout);
            }
            Assert.False(service.HasExited, $"the service process died by itself:\n{output}");
            // Keep the log growing fast so the kill lands in the middle of reading and committing.
            while (written < Lines / 2)
            {
                await AppendLinesAsync(log, written, 20);
                written += 20;
                await Task.Delay(2);
            }
        }
        finally
        {
            service.Kill();
            await service.WaitForExitAsync();
        }
        var offsetAtKill = StoredOffset(host, log);
        Assert.InRange(offsetAtKill, 1, new FileInfo(log).Length);
        await TestHost.AppendAsync(log, LogLines.IterRange((written + 1) * 10L, Lines * 10L, every: 10, total: Lines * 10));

        await host.RestartAsync();
        var run = await host.WaitForRunAsync(r => r.Step == Lines * 10L, 30_000);
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => i * 10L), series.Points.Select(p => p.Step));
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.All(detail.Metrics, m => Assert.Equal(Lines, m.Count));
    }

    private static Task AppendLinesAsync(string log, int written, int count) =>
        TestHost.AppendAsync(log, LogLines.IterRange((written + 1) * 10L, (written + count) * 10L, every: 10, total: Lines * 10));

    private static Process StartServiceProcess(TestHost host, System.Text.StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(DashboardHost).Assembly.Location);
        foreach (var argument in host.Arguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--Watch:PollIntervalMs=200");
        // The service JIT-compiles fully up front for ingest speed, which nearly doubles its start;
        // this test needs a quick start on a loaded machine, not speed.
        start.Environment["DOTNET_TieredCompilation"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static long StoredOffset(TestHost host, string log)
    {
        var file = Path.Combine(host.DataFolder, "dashboard.db");
        if (!File.Exists(file))
            return 0;
        try
        {
            using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Offset\" FROM source_files WHERE Path = $p";
            command.Parameters.AddWithValue("$p", log);
            return command.ExecuteScalar() is long offset ? offset : 0;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
