using Dashboard.Core.Rules;
using Dashboard.Live;
using Dashboard.Storage;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Alerts;

/// <summary>
/// Runs the rules on every committed batch, after the commit (so ingestion never waits for them):
/// stores what changed, pushes <c>alert</c> messages to the run's page and every page, and hands
/// raises and resolves to the webhooks. A run's state is rebuilt from the store the first time this
/// process sees it, after a resume rewrote its points, and after the bus dropped updates for us.
/// </summary>
public sealed class AlertsEngine : BackgroundService
{
    private readonly LiveBus.Subscription _subscription;
    private readonly Dictionary<long, RunRules> _runs = [];
    private readonly RuleReplay _replay;
    private readonly AlertStore _store;
    private readonly IHubContext<LiveHub> _hub;
    private readonly AlertNotifier _notifier;
    private readonly ILogger<AlertsEngine> _logger;
    private long _droppedSeen;

    public AlertsEngine(LiveBus bus, RuleReplay replay, AlertStore store, IHubContext<LiveHub> hub, AlertNotifier notifier, ILogger<AlertsEngine> logger)
    {
        // Subscribed at construction, before any hosted service starts, so no commit goes unseen.
        _subscription = bus.Subscribe();
        (_replay, _store, _hub, _notifier, _logger) = (replay, store, hub, notifier, logger);
    }

    /// <summary>Batches handled so far (the benchmark waits for the engine to catch up).</summary>
    public long Processed => Interlocked.Read(ref _processed);
    private long _processed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = _subscription;
        try
        {
            await foreach (var committed in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(committed, stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The run's state may be half-applied: rebuild it from the store next time.
                    _runs.Remove(committed.Run.Id);
                    _logger.LogError(error, "Evaluating the rules of run {RunId} failed", committed.Run.Id);
                }
                Interlocked.Increment(ref _processed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandleAsync(CommittedRun committed, CancellationToken cancellationToken)
    {
        var runId = committed.Run.Id;
        if (subscriptionDropped())
            _runs.Clear();
        IReadOnlyList<AlertChange> changes;
        if (committed.Rewound || !_runs.TryGetValue(runId, out var engine))
        {
            engine = _runs[runId] = await _replay.RebuildAsync(runId, cancellationToken);
            changes = await _store.ReconcileAsync(runId, engine.Open, cancellationToken);
        }
        else
        {
            engine.Observe(committed.Points);
            foreach (var runEvent in committed.Events)
                engine.Observe(runEvent);
            engine.ObserveStalled(committed.Run.Status == RunStatus.Stalled);
            changes = engine.TakeChanges();
        }
        var stored = await _store.ApplyAsync(runId, changes, cancellationToken);
        // Updates that change nothing but the last step stay in the store; pages read them when they load.
        foreach (var change in stored.Where(c => c.Kind != AlertChangeKind.Updated || c.Escalated))
        {
            await _hub.Clients.Groups(LiveHub.RunGroup(runId), LiveHub.AllGroup).SendAsync("alert", change.Alert, cancellationToken);
            _notifier.Enqueue(change.Kind, change.Alert);
        }

        bool subscriptionDropped()
        {
            var dropped = _subscription.Dropped;
            if (dropped == _droppedSeen)
                return false;
            _logger.LogWarning("The rules fell behind the live bus and missed {Count} updates; rebuilding every run's state from the store", dropped - _droppedSeen);
            _droppedSeen = dropped;
            return true;
        }
    }
}
