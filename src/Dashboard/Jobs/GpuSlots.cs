using System.Diagnostics;
using System.Globalization;
using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// The GPU slots jobs take turns on: one Hangfire queue per slot (<c>gpu0</c>, <c>gpu1</c>, …) with one
/// worker each, so one job runs per slot and the others stay queued. Each slot is a value for
/// <c>CUDA_VISIBLE_DEVICES</c>. From Jobs:GpuSlots, else one per GPU <c>nvidia-smi -L</c> lists, else a
/// single slot "0" (a machine without GPUs runs one job at a time).
/// </summary>
public sealed class GpuSlots
{
    private readonly Lock _gate = new();
    private readonly int[] _waiting;

    public GpuSlots(IOptions<DashboardOptions> options, ILogger<GpuSlots> logger)
    {
        var configured = options.Value.Jobs.GpuSlots;
        All = configured.Count > 0 ? [.. configured] : Detect(logger);
        _waiting = new int[All.Count];
    }

    public IReadOnlyList<string> All { get; }

    /// <summary>Hangfire's queue of a slot (queue names: lowercase letters, digits, '_' and '-').</summary>
    public static string Queue(int slot) => "gpu" + slot.ToString(CultureInfo.InvariantCulture);

    /// <summary>The slot with the fewest jobs queued or running on it, counted until <see cref="Done"/>.</summary>
    public int Take()
    {
        lock (_gate)
        {
            var best = 0;
            for (var i = 1; i < _waiting.Length; i++)
            {
                if (_waiting[i] < _waiting[best])
                    best = i;
            }
            _waiting[best]++;
            return best;
        }
    }

    public void Done(int slot)
    {
        lock (_gate)
            _waiting[slot] = Math.Max(0, _waiting[slot] - 1);
    }

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
