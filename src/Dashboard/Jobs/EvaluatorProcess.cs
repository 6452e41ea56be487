using System.ComponentModel;
using System.Diagnostics;

namespace Dashboard.Jobs;

/// <summary>How an evaluator's run ended.</summary>
public enum ProcessEnd
{
    Exited,
    TimedOut,
    Cancelled,
    Stopped,
    CouldNotStart,
}

public sealed record ProcessOutcome(ProcessEnd End, int? ExitCode = null, string? Error = null);

/// <summary>
/// Starts an evaluator from an argument list (never a shell), in the run's folder, on one GPU slot; feeds
/// its stdout and stderr lines to the tail; kills its whole process tree on timeout, cancel or shutdown.
/// </summary>
public static class EvaluatorProcess
{
    public static async Task<ProcessOutcome> RunAsync(
        IReadOnlyList<string> command, string workingDirectory, string slot, TimeSpan timeout, OutputTail tail,
        CancellationToken cancel, CancellationToken stop)
    {
        var start = new ProcessStartInfo
        {
            FileName = command[0],
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        start.Environment["CUDA_VISIBLE_DEVICES"] = slot;
        start.Environment["PYTHONUNBUFFERED"] = "1";

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) tail.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) tail.Add(e.Data); };
        try
        {
            process.Start();
        }
        catch (Win32Exception error)
        {
            return new ProcessOutcome(ProcessEnd.CouldNotStart, Error: $"could not start '{command[0]}': {error.Message}");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timer = new CancellationTokenSource(timeout);
        using var any = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancel, stop);
        try
        {
            await process.WaitForExitAsync(any.Token);
            // The parameterless wait also drains the redirected streams.
            process.WaitForExit();
            return new ProcessOutcome(ProcessEnd.Exited, process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process);
            return new ProcessOutcome(stop.IsCancellationRequested ? ProcessEnd.Stopped : cancel.IsCancellationRequested ? ProcessEnd.Cancelled : ProcessEnd.TimedOut);
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            // Unlike WaitForExit(ms), this also waits for what the process wrote to reach the tail: a hung job's last
            // lines are what says where it hung (under load they were still in the reader when the job was stored).
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(bound.Token);
        }
        catch (InvalidOperationException)
        {
            // It ended by itself meanwhile.
        }
        catch (OperationCanceledException)
        {
            // Its output did not end within the bound (a descendant that escaped the kill holds it open): keep what came.
        }
    }
}
