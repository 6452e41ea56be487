using System.Diagnostics;
using System.Text;

namespace Dashboard.Tests.Support;

/// <summary>The service binary (any role) as a process of its own, for tests that SIGKILL it; its output kept for failure messages.</summary>
public static class ChildService
{
    public static Process Start(IEnumerable<string> arguments, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DashboardHost).Assembly.Location);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The service JIT-compiles fully up front for ingest speed, which nearly doubles its start;
        // these tests need a quick start on a loaded machine, not speed.
        start.Environment["DOTNET_TieredCompilation"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
