using System.Collections.Concurrent;
using Dashboard.Live;
using Dashboard.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Reports;

/// <summary>
/// Makes one report per run when the run finishes: follows the live bus, and a little while after
/// a run is first seen finished (so its closing lines are in), makes the report unless the store
/// already holds an automatic one for it (also across restarts).
/// </summary>
public sealed class AutoReporter(LiveBus bus, ReportService reports, IOptions<ReportsOptions> options, ILogger<AutoReporter> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _pending = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Automatic)
            return;
        using var subscription = bus.Subscribe();
        try
        {
            await foreach (var committed in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                var runId = committed.Run.Id;
                if (committed.Run.Status == RunStatus.Finished && !_pending.ContainsKey(runId))
                    _pending[runId] = ReportLaterAsync(runId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_pending.Values);
    }

    private async Task ReportLaterAsync(long runId, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Value.AutomaticDelayMs, stoppingToken);
            if (!await reports.HasAutomaticReportAsync(runId, stoppingToken))
                await reports.CreateForRunAsync(runId, automatic: true, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A failed report must not stop the others; the next time the run shows as finished retries it.
            logger.LogError(ex, "Could not make the report of finished run {RunId}", runId);
            _pending.TryRemove(runId, out _);
        }
    }
}
