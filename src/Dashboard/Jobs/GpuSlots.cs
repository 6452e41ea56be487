using System.Diagnostics;
using System.Globalization;
using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// The GPU slots of this machine that jobs take turns on: one Hangfire queue per slot (<see cref="JobQueueNames"/>)
/// with one worker each, so one job runs per slot and the others stay queued. Each slot is a value for
/// <c>CUDA_VISIBLE_DEVICES</c>. From Jobs:GpuSlots (a worker's <c>--gpus 0,1</c>), else one per GPU
/// <c>nvidia-smi -L</c> lists, else a single slot "0" (a machine without GPUs runs one job at a time).
/// </summary>
public sealed class GpuSlots(IOptions<DashboardOptions> options, ILogger<GpuSlots> logger)
{
    public IReadOnlyList<string> All { get; } = options.Value.Jobs.GpuSlots is { Count: > 0 } configured ? [.. configured] : Detect(logger);

    private static List<string> Detect(ILogger logger)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", ["-L"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is not null && process.WaitForExit(5000))
            {
                var gpus = process.StandardOutput.ReadToEnd().Split('\n').Count(l => l.StartsWith("GPU ", StringComparison.Ordinal));
                if (process.ExitCode == 0 && gpus > 0)
                {
                    logger.LogInformation("Jobs: {Count} GPU slot(s) from nvidia-smi -L", gpus);
                    return [.. Enumerable.Range(0, gpus).Select(i => i.ToString(CultureInfo.InvariantCulture))];
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No nvidia-smi: no GPUs to list.
        }
        logger.LogInformation("Jobs: no Jobs:GpuSlots and no GPU listed by nvidia-smi; one slot \"0\"");
        return ["0"];
    }
}
