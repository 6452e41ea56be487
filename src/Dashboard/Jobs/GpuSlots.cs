using System.Diagnostics;
using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// The GPU slots jobs take turns on: one job per slot, the others wait (and stay queued). Each slot is a
/// value for <c>CUDA_VISIBLE_DEVICES</c>. From Jobs:GpuSlots, else one per GPU <c>nvidia-smi -L</c> lists,
/// else a single slot "0" (a machine without GPUs runs one job at a time).
/// </summary>
public sealed class GpuSlots
{
    private readonly SemaphoreSlim _free;
    private readonly Lock _gate = new();
    private readonly Queue<string> _idle;

    public GpuSlots(IOptions<DashboardOptions> options, ILogger<GpuSlots> logger)
    {
        var configured = options.Value.Jobs.GpuSlots;
        All = configured.Count > 0 ? [.. configured] : Detect(logger);
        _idle = new Queue<string>(All);
        _free = new SemaphoreSlim(All.Count, All.Count);
    }

    public IReadOnlyList<string> All { get; }

    public async Task<string> AcquireAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken);
        lock (_gate)
            return _idle.Dequeue();
    }

    public void Release(string slot)
    {
        lock (_gate)
            _idle.Enqueue(slot);
        _free.Release();
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
                    return [.. Enumerable.Range(0, gpus).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
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
