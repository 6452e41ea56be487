using Dashboard.Core.Records;

namespace Dashboard.Live;

/// <summary>
/// One page's subscription to the live bus and the run notices (the Aspire Dashboard's pattern): changes
/// are coalesced and handed to the page at most once per interval, off the writer's thread. What waits is
/// bounded: past <see cref="MaxPendingPoints"/> the points are dropped and counted, and the page is told to
/// re-read, as after the bus dropped updates for it or a resume rewound a run.
/// </summary>
public sealed class PageFeed : IAsyncDisposable
{
    /// <summary>
    /// About a chart's whole trace (RunChart.HistoryPoints): past it a re-read draws the same for less. Points wait
    /// here while the page's browser is busy with the last update; one that fell minutes behind (50 pages at 2 lines a
    /// second on two cores) held up to 50,000 each, 1.2 MB a page, most of the service's memory growth under that load.
    /// </summary>
    public const int MaxPendingPoints = 2_000;

    // Null for a feed that hears no points (jobs, alerts).
    private readonly LiveBus.Subscription? _subscription;
    private readonly PageFeedSource _source;
    private readonly RunNotices _notices;
    private readonly Func<long, bool> _wants;
    private readonly Func<PageUpdate, CancellationToken, Task> _onUpdate;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _gate = new();
    private Dictionary<long, Dictionary<string, List<StoredPoint>>> _points = [];
    private int _pendingPoints;
    private bool _changed;
    private bool _noticed;
    private bool _reread;
    private long _dropped;
    private long _busDroppedSeen;
    private readonly Task _pump;
    private readonly Task _deliver;

    /// <param name="wants">Which runs the page shows.</param>
    /// <param name="onUpdate">Called with what changed; never twice at once.</param>
    /// <param name="source">What the page hears: points and every run notice, or job notices only.</param>
    public PageFeed(LiveBus bus, RunNotices notices, Func<long, bool> wants, TimeSpan interval, TimeProvider clock, ILogger logger, Func<PageUpdate, CancellationToken, Task> onUpdate, PageFeedSource source = PageFeedSource.Runs)
    {
        (_notices, _source, _wants, _interval, _clock, _logger, _onUpdate) = (notices, source, wants, interval, clock, logger, onUpdate);
        switch (source)
        {
            case PageFeedSource.Jobs:
                _notices.JobChanged += OnNotice;
                _pump = Task.CompletedTask;
                break;
            case PageFeedSource.Alerts:
                _notices.AlertChanged += OnNotice;
                _pump = Task.CompletedTask;
                break;
            default:
                _subscription = bus.Subscribe(runs: wants);
                _notices.Changed += OnNotice;
                _pump = PumpAsync(_subscription, _stop.Token);
                break;
        }
        _deliver = DeliverAsync(_stop.Token);
    }

    /// <summary>Points this page lost (its queue was full); the page re-read instead.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private void OnNotice(long runId)
    {
        if (!_wants(runId))
            return;
        lock (_gate)
            (_changed, _noticed) = (true, true);
        Wake();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
                _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake: the next delivery takes this change too.
        }
    }

    private async Task PumpAsync(LiveBus.Subscription subscription, CancellationToken stop)
    {
        try
        {
            // The bus queues only the runs the page shows.
            await foreach (var committed in subscription.Reader.ReadAllAsync(stop))
            {
                lock (_gate)
                    Merge(committed);
                Wake();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void Merge(CommittedRun committed)
    {
        _changed = true;
        _noticed |= committed.Events.Count > 0;
        if (committed.Rewound)
            _reread = true;
        if (_reread)
            return;
        var count = committed.Points.Values.Sum(p => p.Count);
        if (_pendingPoints + count > MaxPendingPoints)
        {
            Interlocked.Add(ref _dropped, _pendingPoints + count);
            _points = [];
            _pendingPoints = 0;
            _reread = true;
            return;
        }
        _pendingPoints += count;
        if (!_points.TryGetValue(committed.Run.Id, out var byKey))
            _points[committed.Run.Id] = byKey = new(StringComparer.Ordinal);
        foreach (var (key, points) in committed.Points)
        {
            if (byKey.TryGetValue(key, out var list))
                list.AddRange(points);
            else
                byKey[key] = [.. points];
        }
    }

    private async Task DeliverAsync(CancellationToken stop)
    {
        var last = DateTimeOffset.MinValue;
        try
        {
            while (true)
            {
                await _wake.WaitAsync(stop);
                // Coalesce: whatever arrives until the interval since the last delivery has passed goes out together.
                var wait = last + _interval - _clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, _clock, stop);
                PageUpdate update;
                lock (_gate)
                {
                    var busDropped = _subscription?.Dropped ?? 0;
                    if (busDropped != _busDroppedSeen)
                    {
                        _busDroppedSeen = busDropped;
                        _reread = true;
                    }
                    if (!_changed && !_reread)
                        continue;
                    update = new PageUpdate(_reread ? new Dictionary<long, Dictionary<string, List<StoredPoint>>>() : _points, _reread, _noticed, Dropped);
                    (_points, _pendingPoints, _changed, _noticed, _reread) = ([], 0, false, false, false);
                }
                last = _clock.GetUtcNow();
                try
                {
                    await _onUpdate(update, stop);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // A page that failed to apply an update (a browser gone mid-call, say) starts over from the store at the next tick.
                    _logger.LogWarning(error, "A page failed to apply a live update; it will re-read");
                    lock (_gate)
                        (_changed, _noticed, _reread) = (true, true, true);
                    Wake();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        switch (_source)
        {
            case PageFeedSource.Jobs:
                _notices.JobChanged -= OnNotice;
                break;
            case PageFeedSource.Alerts:
                _notices.AlertChanged -= OnNotice;
                break;
            default:
                _notices.Changed -= OnNotice;
                break;
        }
        await _stop.CancelAsync();
        _subscription?.Dispose();
        await Task.WhenAll(_pump, _deliver);
        _stop.Dispose();
        _wake.Dispose();
    }
}
