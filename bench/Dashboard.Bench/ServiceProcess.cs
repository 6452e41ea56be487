using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Dashboard.Bench;

/// <summary>
/// The real service binary in a child process, and what /proc says about it: the benchmarks read
/// its CPU time and peak memory there, so they are the service's own and not the generator's.
/// </summary>
public static class ServiceProcess
{
    /// <summary>
    /// The binary built beside the bench (its own runtime settings, server GC included) on a free
    /// loopback port, up and answering, handed to <paramref name="body"/>; its output is printed if
    /// the body fails, and it is killed afterwards (committed points survive a kill: WAL).
    /// </summary>
    public static async Task<T> RunAsync<T>(string data, string watch, string[] extraArguments, Func<Process, HttpClient, Task<T>> body)
    {
        var port = FreePort();
        var output = new StringBuilder();
        using var child = Start(["--urls", $"http://127.0.0.1:{port}", "--data", data, "--watch", watch, "--Logging:LogLevel:Default=Warning", .. extraArguments], output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
            await WaitUntilUpAsync(http, child);
            return await body(child, http);
        }
        catch
        {
            lock (output)
                Console.WriteLine(output);
            throw;
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
            // For a look at what the service logged on a run that went well (set Logging__LogLevel__… beside it for more).
            if (Environment.GetEnvironmentVariable("BENCH_SERVICE_OUTPUT") is { Length: > 0 } keep)
                lock (output)
                    File.AppendAllText(keep, $"--- {string.Join(' ', child.StartInfo.ArgumentList)}\n{output}");
        }
    }

    /// <summary>The binary built beside the bench, any role, its output kept in <paramref name="output"/>.</summary>
    public static Process Start(IEnumerable<string> arguments, StringBuilder output)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Dashboard")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var child = Process.Start(start)!;
        child.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    /// <summary>Seconds from now until the process used under 3% of a core over a quarter second, and its CPU seconds then.</summary>
    public static async Task<(double Seconds, double CpuSeconds)> WaitUntilIdleAsync(int pid)
    {
        var clock = Stopwatch.StartNew();
        var before = CpuSeconds(pid);
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            var at = clock.Elapsed.TotalSeconds;
            await Task.Delay(250);
            var now = CpuSeconds(pid);
            if (now - before < 0.0075)
                return (at, now);
            before = now;
        }
        return (clock.Elapsed.TotalSeconds, CpuSeconds(pid));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process child)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (child.HasExited)
                throw new InvalidOperationException($"The service exited with {child.ExitCode} at start.");
            try
            {
                await http.GetStringAsync("/api/runs");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("The service did not start.");
    }

    public static double CpuSeconds(int pid)
    {
        // /proc/PID/stat after the command name: utime and stime are the 12th and 13th fields, in ticks of 1/100 s.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return -1;
    }

    public static int Option(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
