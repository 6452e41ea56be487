using System.Threading.Channels;

namespace Dashboard.Live;

/// <summary>
/// In-process fan-out of what the writer committed. Never blocks the writer: each subscriber has a
/// bounded queue that drops its oldest entries when the subscriber falls behind (pages refill gaps
/// from the HTTP API), and the drops are counted.
/// </summary>
public sealed class LiveBus(ILogger<LiveBus> logger)
{
    private const int QueueCapacity = 4096;
    private readonly Lock _gate = new();
    private Channel<CommittedRun>[] _subscribers = [];

    public long Dropped => Interlocked.Read(ref _dropped);
    private long _dropped;

    public void Publish(CommittedRun committed)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Writer.TryWrite(committed);
    }

    public Subscription Subscribe()
    {
        Subscription? subscription = null;
        var channel = Channel.CreateBounded<CommittedRun>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                subscription!.CountDrop();
                if (Interlocked.Increment(ref _dropped) % 1000 == 1)
                    logger.LogWarning("Live bus subscriber is behind; dropped {Dropped} updates so far", Dropped);
            });
        lock (_gate)
            _subscribers = [.. _subscribers, channel];
        return subscription = new Subscription(channel.Reader, () =>
        {
            lock (_gate)
                _subscribers = [.. _subscribers.Where(s => s != channel)];
        });
    }

    public sealed class Subscription(ChannelReader<CommittedRun> reader, Action unsubscribe) : IDisposable
    {
        private long _dropped;

        public ChannelReader<CommittedRun> Reader { get; } = reader;

        /// <summary>Updates this subscriber lost by falling behind (it must rebuild what it derives from them).</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        internal void CountDrop() => Interlocked.Increment(ref _dropped);

        public void Dispose() => unsubscribe();
    }
}
