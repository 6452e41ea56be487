namespace Dashboard.Bench;

/// <summary>
/// Samples a process's resident memory every 50 ms and keeps the peaks of its two parts: anonymous
/// (the GC heap, native allocations, SQLite's page cache) and file-backed (mapped binaries and files),
/// which VmHWM alone does not tell apart.
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public long PeakAnonKb { get; private set; }
    public long PeakFileKb { get; private set; }

    public MemorySampler(int pid) => _sampling = SampleAsync(pid, _stop.Token);

    private async Task SampleAsync(int pid, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            do
            {
                PeakAnonKb = Math.Max(PeakAnonKb, ServiceProcess.Status(pid, "RssAnon:"));
                PeakFileKb = Math.Max(PeakFileKb, ServiceProcess.Status(pid, "RssFile:"));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
