using Dashboard.Configuration;
using Dashboard.Core.Rules;
using Dashboard.Live;
using Dashboard.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Dashboard.Alerts;

/// <summary>
/// Runs the rules on every committed batch, after the commit (so ingestion never waits for them):
/// stores what changed, pushes <c>alert</c> messages to the run's page and every page, and hands
/// raises and resolves to the webhooks. A run's state is rebuilt from the store the first time this
/// process sees it, after a resume rewrote its points, and after the bus dropped updates for us.
/// All of it runs on <see cref="RulesThread"/>, at a lower priority, except the writes (see <see cref="WriteAsync"/>).
/// </summary>
public sealed class AlertsEngine : BackgroundService
{
    private readonly LiveBus.Subscription _subscription;
    private static readonly TimeSpan UpdateInterval = TimeSpan.FromSeconds(1);
    private readonly Dictionary<long, RunRules> _runs = [];
    private readonly Dictionary<long, RuleSnapshots> _snapshots = [];
    // Updates that change no more than an open alert's last step and value are written at most once
    // a second per run (a busy run commits hundreds of batches a second).
    private readonly Dictionary<long, Dictionary<TrackedAlert, AlertChange>> _pendingUpdates = [];
    // Raises and resolves wait for the end of the batches already queued, then go in one write per run, at most one
    // every ChangeInterval: a run that goes bad changes alerts in nearly every commit, and a write per commit cost
    // more than the rules and, each taking SQLite's write lock, made the ingest's writer wait and sleep for it.
    private readonly Dictionary<long, List<AlertChange>> _pendingChanges = [];
    private static readonly TimeSpan ChangeInterval = TimeSpan.FromMilliseconds(200);
    // Batches handled before the waiting raises and resolves are written anyway, so alerts stay prompt under a flood.
    private const int MaxBatchesPerWrite = 256;
    private readonly Dictionary<long, long> _lastWrite = [];
    private readonly RuleReplay _replay;
    private readonly AlertStore _store;
    private readonly AlertWriter _writer;
    private readonly IHubContext<LiveHub> _hub;
    private readonly AlertNotifier _notifier;
    private readonly RunNotices _notices;
    private readonly ILogger<AlertsEngine> _logger;
    private long _droppedSeen;
    private readonly RulesThread _thread;
    private readonly int _niceness;

    public AlertsEngine(LiveBus bus, RuleReplay replay, AlertStore store, AlertWriter writer, IHubContext<LiveHub> hub, AlertNotifier notifier, RunNotices notices,
        IOptions<DashboardOptions> options, ILogger<AlertsEngine> logger)
    {
        // Subscribed at construction, before any hosted service starts, so no commit goes unseen. Bounded by points:
        // past Alerts:MaxQueuedPoints a run's missed points are read from the store, chunk by chunk, not kept in memory.
        _subscription = bus.Subscribe(options.Value.Alerts.MaxQueuedPoints);
        _niceness = options.Value.Alerts.Niceness;
        _thread = new RulesThread(_niceness);
        (_replay, _store, _writer, _hub, _notifier, _notices, _logger) = (replay, store, writer, hub, notifier, notices, logger);
    }

    /// <summary>Batches handled so far (the benchmark waits for the engine to catch up).</summary>
    public long Processed => Interlocked.Read(ref _processed);
    private long _processed;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _thread.Start(() => RunAsync(stoppingToken));

    public override void Dispose()
    {
        base.Dispose();
        _thread.Dispose();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_niceness > 0 && !_thread.Lowered)
            _logger.LogWarning("The rules' thread could not be given nice value {Niceness} on this system: the rules compete with the ingest for the CPU", _niceness);
        using var subscription = _subscription;
        var reader = subscription.Reader;
        try
        {
            while (true)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(_pendingChanges.Values.Any(waiting => waiting.Count > 0) ? ChangeInterval : UpdateInterval);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token))
                            return;
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        await CatchUpAsync(stoppingToken);
                        await FlushChangesAsync(force: true, stoppingToken);
                        await FlushUpdatesAsync(force: true, stoppingToken);
                        continue;
                    }
                }
                for (var handled = 0; handled < MaxBatchesPerWrite && subscription.TryRead(out var committed); handled++)
                {
                    try
                    {
                        await HandleAsync(committed, stoppingToken);
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        Forget(committed.Run.Id);
                        _logger.LogError(error, "Evaluating the rules of run {RunId} failed", committed.Run.Id);
                    }
                    Interlocked.Increment(ref _processed);
                }
                // Runs the bus left out are read from the store once what was queued before them is handled.
                if (!reader.TryPeek(out _))
                    await CatchUpAsync(stoppingToken);
                await FlushChangesAsync(force: false, stoppingToken);
                await FlushUpdatesAsync(force: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await FlushChangesAsync(force: true, CancellationToken.None);
            await FlushUpdatesAsync(force: true, CancellationToken.None);
        }
    }

    private async Task HandleAsync(CommittedRun committed, CancellationToken cancellationToken)
    {
        var runId = committed.Run.Id;
        if (subscriptionDropped())
        {
            _runs.Clear();
            _snapshots.Clear();
        }
        IReadOnlyList<AlertChange> changes;
        if (committed.Rewound || !_runs.TryGetValue(runId, out var engine))
        {
            // After a resume only the history from the step it went back to can differ from the store's.
            changes = await RebuildAsync(runId, _runs.ContainsKey(runId) ? committed.RewoundFrom : null, cancellationToken);
        }
        else
        {
            engine.Observe(committed.Points);
            foreach (var runEvent in committed.Events)
                engine.Observe(runEvent);
            engine.ObserveStalled(committed.Run.Status == RunStatus.Stalled);
            changes = engine.TakeChanges();
        }
        Queue(runId, changes);
        Snapshot(runId);

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

    /// <summary>A run's state from the store, compared with its stored alerts. What the run has waiting is written first, so the comparison sees it.</summary>
    private async Task<IReadOnlyList<AlertChange>> RebuildAsync(long runId, long? historyFrom, CancellationToken cancellationToken)
    {
        await FlushChangesAsync(force: true, cancellationToken);
        var snapshot = historyFrom is { } rewoundFrom && _snapshots.TryGetValue(runId, out var taken) ? taken.Before(rewoundFrom) : null;
        // From the first point, no copy is of use (Before left none): the replay offers new ones.
        if (snapshot is null)
            _snapshots[runId] = new RuleSnapshots();
        _logger.LogDebug("Rebuilding the rules of run {RunId} from step {CopyStep} (a resume to step {RewoundFrom})", runId, snapshot?.LastStep, historyFrom);
        var (engine, resolved) = await _replay.RebuildAsync(runId, historyFrom, snapshot, Copies(runId), cancellationToken);
        _runs[runId] = engine;
        return await _store.ReconcileAsync(runId, engine.Open, resolved, historyFrom, cancellationToken);
    }

    /// <summary>The runs whose commits the bus left out (the rules were a queue's worth of points behind) take the points they missed from the store.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        foreach (var (runId, rewoundFrom) in _subscription.TakeBehind())
        {
            try
            {
                IReadOnlyList<AlertChange> changes;
                // A resume among what was left out that went back to a step the engine had not reached yet replaced
                // nothing it saw: the store's points from where it stands are the run's, as after any other gap.
                if (_runs.TryGetValue(runId, out var engine) && (rewoundFrom is null || engine.LastStep is not { } seenLast || seenLast < rewoundFrom))
                {
                    await FlushChangesAsync(force: true, cancellationToken);
                    var seen = engine.LastStep;
                    var resolved = await _replay.CatchUpAsync(engine, runId, Copies(runId), cancellationToken);
                    changes = await _store.ReconcileAsync(runId, engine.Open, resolved, seen, cancellationToken);
                }
                else
                {
                    // A resume among what was left out replaced points the engine saw: rebuilt, as at a resume.
                    changes = await RebuildAsync(runId, engine is null ? null : rewoundFrom, cancellationToken);
                }
                Queue(runId, changes);
                Snapshot(runId);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                Forget(runId);
                _logger.LogError(error, "Catching up the rules of run {RunId} from the store failed", runId);
            }
        }
    }

    /// <summary>Updates wait to be written at most once a second; raises and resolves wait for the end of the queued batches.</summary>
    private void Queue(long runId, IReadOnlyList<AlertChange> changes)
    {
        if (!_pendingUpdates.TryGetValue(runId, out var pending))
            _pendingUpdates[runId] = pending = new(ReferenceEqualityComparer.Instance);
        foreach (var change in changes.Where(c => c.Kind == AlertChangeKind.Updated))
            pending[change.Alert] = change;
        if (changes.All(c => c.Kind == AlertChangeKind.Updated))
            return;
        if (!_pendingChanges.TryGetValue(runId, out var waiting))
            _pendingChanges[runId] = waiting = [];
        waiting.AddRange(changes.Where(c => c.Kind != AlertChangeKind.Updated));
    }

    /// <summary>A copy of the run's state now and then, for a resume to go back to (<see cref="RuleSnapshots"/>).</summary>
    private void Snapshot(long runId)
    {
        if (_runs.TryGetValue(runId, out var engine))
            Copies(runId).Offer(engine);
    }

    private RuleSnapshots Copies(long runId)
    {
        if (!_snapshots.TryGetValue(runId, out var taken))
            _snapshots[runId] = taken = new RuleSnapshots();
        return taken;
    }

    /// <summary>The run's state may be half-applied: it is rebuilt from the store at its next commit.</summary>
    private void Forget(long runId)
    {
        Drop(runId);
        _pendingUpdates.Remove(runId);
        _pendingChanges.Remove(runId);
    }

    /// <summary>The run's state and its copies no longer match the store: the next commit rebuilds it from the first point.</summary>
    private void Drop(long runId)
    {
        _runs.Remove(runId);
        _snapshots.Remove(runId);
    }

    /// <summary>Each run's waiting raises and resolves, with its waiting updates, in one write per run (unless forced, once its last write is <see cref="ChangeInterval"/> old).</summary>
    private async Task FlushChangesAsync(bool force, CancellationToken cancellationToken)
    {
        var nowMs = Environment.TickCount64;
        foreach (var (runId, waiting) in _pendingChanges)
        {
            if (waiting.Count == 0 || !force && nowMs - _lastWrite.GetValueOrDefault(runId) < ChangeInterval.TotalMilliseconds)
                continue;
            var now = waiting.ToList();
            waiting.Clear();
            if (_pendingUpdates.Remove(runId, out var updates))
                now.AddRange(updates.Values.Where(u => !u.Alert.Resolved));
            try
            {
                await WriteAsync(runId, now, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The store lacks what the engine holds: rebuild the run's state (and reconcile) next time.
                Drop(runId);
                _logger.LogError(error, "Storing the alerts of run {RunId} failed", runId);
            }
        }
    }

    private async Task FlushUpdatesAsync(bool force, CancellationToken cancellationToken)
    {
        var nowMs = Environment.TickCount64;
        foreach (var (runId, pending) in _pendingUpdates)
        {
            if (pending.Count == 0 || !force && nowMs - _lastWrite.GetValueOrDefault(runId) < UpdateInterval.TotalMilliseconds)
                continue;
            var updates = pending.Values.Where(u => !u.Alert.Resolved).ToList();
            pending.Clear();
            await WriteAsync(runId, updates, cancellationToken);
        }
    }

    private async Task WriteAsync(long runId, IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        _lastWrite[runId] = Environment.TickCount64;
        await _thread.Normal(() => StoreAndTellAsync(runId, changes, cancellationToken));
    }

    /// <summary>Off the rules' thread: the write takes SQLite's lock, and each hub send a connection's, which others wait for.</summary>
    private async Task StoreAndTellAsync(long runId, IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        var stored = await _writer.ApplyAsync(runId, changes, cancellationToken);
        // Updates that change nothing but the last step stay in the store; pages read them when they load.
        var told = stored.Where(c => c.Kind != AlertChangeKind.Updated || c.Escalated).ToList();
        foreach (var change in told)
            _notifier.Enqueue(change.Kind, change.Alert);
        // Each view is the alert's state after the whole write: pages need it once, however many changes led there.
        foreach (var change in told.DistinctBy(c => c.Alert.Id))
            await _hub.SendAlertAsync(change.Alert, cancellationToken);
        if (stored.Count > 0)
            _notices.NotifyAlerts(runId);
    }
}
