using Dashboard.Configuration;
using Dashboard.Core.Records;
using Dashboard.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Dashboard.Live;

/// <summary>
/// Sends committed points and run changes to the hub's groups, coalesced per run: the first update
/// after a quiet spell goes out at once, later ones wait until the coalescing interval has passed
/// since the last send, so a busy run costs one message per interval whatever its line rate.
/// </summary>
public sealed class HubBroadcaster(
    LiveBus bus,
    IHubContext<LiveHub> hub,
    IOptions<DashboardOptions> options,
    TimeProvider clock,
    ILogger<HubBroadcaster> logger) : BackgroundService
{
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Dictionary<long, DateTimeOffset> _lastSent = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.Live.CoalesceMs);
        using var subscription = bus.Subscribe();
        var reader = subscription.Reader;
        Task<bool>? read = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                read ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                var wait = NextDue(interval) - clock.GetUtcNow();
                if (_pending.Count == 0)
                    await read;
                else if (wait > TimeSpan.Zero)
                    await Task.WhenAny(read, Task.Delay(wait, clock, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
                if (read.IsCompleted)
                    read = null;
                while (reader.TryRead(out var committed))
                    Merge(committed);
                await FlushDueAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private DateTimeOffset NextDue(TimeSpan interval)
    {
        var due = DateTimeOffset.MaxValue;
        foreach (var runId in _pending.Keys)
        {
            var at = _lastSent.TryGetValue(runId, out var last) ? last + interval : DateTimeOffset.MinValue;
            if (at < due)
                due = at;
        }
        return due;
    }

    private void Merge(CommittedRun committed)
    {
        if (!_pending.TryGetValue(committed.Run.Id, out var pending))
            _pending[committed.Run.Id] = pending = new Pending();
        pending.Run = committed.Run;
        foreach (var (key, points) in committed.Points)
        {
            if (!pending.Points.TryGetValue(key, out var segments))
                pending.Points[key] = segments = new PointSegments();
            segments.Add(points);
        }
    }

    private async Task FlushDueAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        foreach (var (runId, pending) in _pending.ToList())
        {
            if (_lastSent.TryGetValue(runId, out var last) && now - last < interval)
                continue;
            _pending.Remove(runId);
            _lastSent[runId] = now;
            try
            {
                if (pending.Points.Count > 0)
                    await hub.Clients.Group(LiveHub.RunGroup(runId)).SendAsync("points", new PointsMessage(runId, pending.Points), stoppingToken);
                await hub.Clients.Groups(LiveHub.RunGroup(runId), LiveHub.AllGroup).SendAsync("run", pending.Run, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Sending live updates for run {RunId} failed", runId);
            }
        }
    }

    private sealed class Pending
    {
        public RunSummary? Run { get; set; }
        public Dictionary<string, PointSegments> Points { get; } = new(StringComparer.Ordinal);
    }
}
