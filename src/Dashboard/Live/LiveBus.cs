using System.Threading.Channels;

namespace Dashboard.Live;

/// <summary>
/// In-process fan-out of what the writer committed. Never blocks the writer: each subscriber has a
/// bounded queue that drops its oldest entries when the subscriber falls behind (pages refill gaps
/// from the HTTP API), and the drops are counted. A subscriber may also bound its queue by points:
/// past that, the commits of a run are not queued but the run is marked behind, for the subscriber
/// to read from the store (a cold ingest commits millions of points faster than the rules take them,
/// and queued they all stayed in memory).
/// </summary>
public sealed class LiveBus(ILogger<LiveBus> logger)
{
    private const int QueueCapacity = 4096;
    private readonly Lock _gate = new();
    private Subscription[] _subscribers = [];

    public long Dropped => Interlocked.Read(ref _dropped);
    private long _dropped;

    public void Publish(CommittedRun committed)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Offer(committed);
    }

    /// <param name="maxQueuedPoints">Points the queue may hold before further commits only mark their run behind (<see cref="Subscription.TakeBehind"/>).</param>
    /// <param name="runs">
    /// The runs whose commits the subscriber takes (all when null), checked before a commit is queued: a page of one
    /// run heard every run's commits, 200 a second with a team's 100 runs, each queued, woken for and thrown away
    /// (with 50 pages, 10,000 a second); and a page slow to take them could lose its own run's to the queue's bound.
    /// </param>
    public Subscription Subscribe(long maxQueuedPoints = long.MaxValue, Func<long, bool>? runs = null)
    {
        Subscription? subscription = null;
        var channel = Channel.CreateBounded<CommittedRun>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                subscription!.CountDrop(dropped);
                if (Interlocked.Increment(ref _dropped) % 1000 == 1)
                    logger.LogWarning("Live bus subscriber is behind; dropped {Dropped} updates so far", Dropped);
            });
        subscription = new Subscription(channel, maxQueuedPoints, runs, self =>
        {
            lock (_gate)
                _subscribers = [.. _subscribers.Where(s => s != self)];
        });
        lock (_gate)
            _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    public sealed class Subscription : IDisposable
    {
        private readonly Channel<CommittedRun> _channel;
        private readonly long _maxQueuedPoints;
        private readonly Func<long, bool>? _runs;
        private readonly Action<Subscription> _unsubscribe;
        private readonly Lock _gate = new();
        // Runs left out, with the lowest step a left-out commit rewound to (null when none did).
        private readonly Dictionary<long, long?> _behind = [];
        private long _queuedPoints;
        private long _dropped;

        internal Subscription(Channel<CommittedRun> channel, long maxQueuedPoints, Func<long, bool>? runs, Action<Subscription> unsubscribe) =>
            (_channel, _maxQueuedPoints, _runs, _unsubscribe) = (channel, maxQueuedPoints, runs, unsubscribe);

        public ChannelReader<CommittedRun> Reader => _channel.Reader;

        /// <summary>Updates this subscriber lost by falling behind (it must rebuild what it derives from them).</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        private bool Bounded => _maxQueuedPoints != long.MaxValue;

        /// <summary>Reads the next commit; a subscription bounded by points must read through here, so that its count goes down.</summary>
        public bool TryRead(out CommittedRun committed)
        {
            if (!_channel.Reader.TryRead(out committed!))
                return false;
            if (Bounded)
            {
                lock (_gate)
                    _queuedPoints -= committed.PointCount;
            }
            return true;
        }

        /// <summary>
        /// The runs whose commits were left out since the last call because the queue held its points'
        /// worth, each with the lowest step a left-out commit rewound to (a resume): their next commits
        /// are queued again, and what was left out is in the store.
        /// </summary>
        public IReadOnlyList<(long RunId, long? RewoundFrom)> TakeBehind()
        {
            lock (_gate)
            {
                if (_behind.Count == 0)
                    return [];
                var behind = _behind.Select(b => (b.Key, b.Value)).ToList();
                _behind.Clear();
                return behind;
            }
        }

        internal void Offer(CommittedRun committed)
        {
            if (_runs is not null && !_runs(committed.Run.Id))
                return;
            if (Bounded)
            {
                var points = committed.PointCount;
                lock (_gate)
                {
                    // A run once behind stays behind until taken: a later commit of it must not come before what was left out.
                    var behind = _behind.TryGetValue(committed.Run.Id, out var rewound);
                    if (behind || _queuedPoints > 0 && _queuedPoints + points > _maxQueuedPoints)
                    {
                        _behind[committed.Run.Id] = committed.RewoundFrom is { } from && (rewound is null || from < rewound) ? from : rewound;
                        return;
                    }
                    _queuedPoints += points;
                }
            }
            _channel.Writer.TryWrite(committed);
        }

        internal void CountDrop(CommittedRun dropped)
        {
            Interlocked.Increment(ref _dropped);
            if (Bounded)
            {
                lock (_gate)
                    _queuedPoints -= dropped.PointCount;
            }
        }

        public void Dispose() => _unsubscribe(this);
    }
}
