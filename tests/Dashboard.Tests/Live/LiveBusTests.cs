using Dashboard.Core.Records;
using Dashboard.Live;
using Dashboard.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Live;

/// <summary>A subscription bounded by points leaves a run's commits out once its queue is full, and says which runs to read from the store.</summary>
public sealed class LiveBusTests
{
    private static CommittedRun Commit(long runId, params long[] steps) => new(
        new RunSummary(runId, "run", "project", "source.log", RunStatus.Running, steps.Max(), null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, []),
        new Dictionary<string, List<StoredPoint>> { ["loss"] = [.. steps.Select(s => new StoredPoint(s, 1, 0))] },
        []);

    [Fact]
    public void A_full_queue_leaves_a_run_out_until_it_is_taken_and_keeps_the_lowest_rewind()
    {
        var bus = new LiveBus(NullLogger<LiveBus>.Instance);
        using var subscription = bus.Subscribe(maxQueuedPoints: 3);

        bus.Publish(Commit(1, 1, 2));
        bus.Publish(Commit(2, 1, 2));            // 2 + 2 > 3: left out
        bus.Publish(Commit(1, 3));               // fits
        Assert.True(subscription.TryRead(out var first));
        Assert.Equal((1L, 2), (first.Run.Id, first.PointCount));
        bus.Publish(Commit(2, 3));               // fits now, but run 2 is behind: it must not come before what was left out
        bus.Publish(Commit(2, 2) with { RewoundFrom = 2 });
        bus.Publish(Commit(2, 1) with { RewoundFrom = 1 });
        bus.Publish(Commit(2, 5) with { RewoundFrom = 4 });

        Assert.True(subscription.TryRead(out var second));
        Assert.Equal((1L, 3L), (second.Run.Id, second.Points["loss"][0].Step));
        Assert.False(subscription.TryRead(out _));
        Assert.Equal([(2L, (long?)1)], subscription.TakeBehind());
        Assert.Empty(subscription.TakeBehind());

        // Taken: its next commit is queued again.
        bus.Publish(Commit(2, 6));
        Assert.True(subscription.TryRead(out var third));
        Assert.Equal(2, third.Run.Id);
        Assert.Equal(0, subscription.Dropped);
    }

    [Fact]
    public void A_subscription_to_some_runs_queues_none_of_the_others()
    {
        var bus = new LiveBus(NullLogger<LiveBus>.Instance);
        using var page = bus.Subscribe(runs: id => id == 7);
        using var everything = bus.Subscribe();

        // Other runs' commits, more than a queue holds, then the page's own: not one of the others is queued, none dropped.
        for (var i = 1; i <= 5000; i++)
            bus.Publish(Commit(1 + i % 3, i));
        bus.Publish(Commit(7, 1));

        Assert.True(page.TryRead(out var own));
        Assert.Equal(7, own.Run.Id);
        Assert.False(page.TryRead(out _));
        Assert.Equal(0, page.Dropped);
        // A subscriber of every run got them (its queue bounded: the oldest went).
        Assert.True(everything.Dropped > 0);
    }

    [Fact]
    public void An_unbounded_subscription_gets_every_commit()
    {
        var bus = new LiveBus(NullLogger<LiveBus>.Instance);
        using var subscription = bus.Subscribe();
        for (var i = 1; i <= 100; i++)
            bus.Publish(Commit(1, Enumerable.Range(1, 1000).Select(s => (long)s).ToArray()));
        var read = 0;
        while (subscription.TryRead(out _))
            read++;
        Assert.Equal(100, read);
        Assert.Empty(subscription.TakeBehind());
    }
}
