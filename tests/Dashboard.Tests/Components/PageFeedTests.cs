using System.Threading.Channels;
using Dashboard.Core.Records;
using Dashboard.Live;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Components;

public sealed class PageFeedTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);

    private static CommittedRun Commit(long runId, string key, params long[] steps) => new(
        new RunSummary(runId, "run", "project", "source.log", RunStatus.Running, steps.Max(), null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, []),
        new Dictionary<string, List<StoredPoint>> { [key] = [.. steps.Select(s => new StoredPoint(s, s / 100.0, 0))] },
        []);

    private sealed record Delivery(PageUpdate Update, DateTimeOffset At);

    private static (LiveBus Bus, RunNotices Notices, FakeTimeProvider Clock, Channel<Delivery> Updates, PageFeed Feed) Start(Func<long, bool> wants, PageFeedSource source = PageFeedSource.Runs)
    {
        var bus = new LiveBus(NullLogger<LiveBus>.Instance);
        var notices = new RunNotices();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var updates = Channel.CreateUnbounded<Delivery>();
        var feed = new PageFeed(bus, notices, wants, Interval, clock, NullLogger.Instance, (u, _) => updates.Writer.WriteAsync(new Delivery(u, clock.GetUtcNow())).AsTask(), source);
        return (bus, notices, clock, updates, feed);
    }

    /// <summary>Moves the fake clock on, an interval at a time, until the feed delivers (whenever its timer was set).</summary>
    private static Task<Delivery> NextAsync(FakeTimeProvider clock, Channel<Delivery> updates) =>
        TestHost.EventuallyAsync(() =>
        {
            if (updates.Reader.TryRead(out var delivery))
                return Task.FromResult<Delivery?>(delivery);
            clock.Advance(Interval);
            return Task.FromResult<Delivery?>(null);
        }, d => d is not null, "a delivery")!;

    [Fact]
    public async Task The_first_change_goes_at_once_and_later_ones_are_coalesced_at_most_once_per_interval()
    {
        var (bus, _, clock, updates, feed) = Start(id => id == 1);
        await using var _ = feed;

        bus.Publish(Commit(1, "loss", 100));
        var first = await updates.Reader.ReadAsync().AsTask().WaitAsync(Bounded);
        Assert.Equal(DateTimeOffset.UnixEpoch, first.At);
        Assert.Equal([100L], first.Update.Points[1]["loss"].Select(p => p.Step));
        // Points alone: the page extends its charts and need not read alerts, checkpoints or jobs again.
        Assert.False(first.Update.Noticed);

        bus.Publish(Commit(1, "loss", 200));
        bus.Publish(Commit(2, "loss", 999));
        bus.Publish(Commit(1, "loss", 300));
        var later = new List<Delivery>();
        while (later.SelectMany(d => d.Update.Points.GetValueOrDefault(1)?["loss"] ?? []).Count() < 2)
            later.Add(await NextAsync(clock, updates));

        Assert.Equal([200L, 300L], later.SelectMany(d => d.Update.Points[1]["loss"]).Select(p => p.Step));
        Assert.All(later, d => Assert.False(d.Update.Reread || d.Update.Points.ContainsKey(2)));
        var times = later.Select(d => d.At).Prepend(first.At).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Interval, $"{pair.First:O} then {pair.Second:O}"));
    }

    [Fact]
    public async Task A_rewind_or_too_many_waiting_points_asks_the_page_to_re_read_and_counts_what_it_dropped()
    {
        var (bus, notices, clock, updates, feed) = Start(id => id == 1);
        await using var _ = feed;

        bus.Publish(Commit(1, "loss", 100) with { RewoundFrom = 100 });
        var rewound = (await updates.Reader.ReadAsync().AsTask().WaitAsync(Bounded)).Update;
        Assert.True(rewound.Reread);
        Assert.Empty(rewound.Points);

        bus.Publish(Commit(1, "loss", [.. Enumerable.Range(0, PageFeed.MaxPendingPoints + 1).Select(i => (long)i)]));
        var overflow = (await NextAsync(clock, updates)).Update;
        Assert.True(overflow.Reread);
        Assert.Equal(PageFeed.MaxPendingPoints + 1, overflow.Dropped);

        // A notice (an alert stored) is a change with no points.
        notices.Notify(1);
        var noticed = (await NextAsync(clock, updates)).Update;
        Assert.False(noticed.Reread);
        Assert.True(noticed.Noticed);
        Assert.Empty(noticed.Points);

        // A run event (a checkpoint saved) comes with points and is noticed too.
        bus.Publish(Commit(1, "loss", 400) with { Events = [new RunEvent(RunEventKind.CheckpointSaved, 400, 0, "epoch=1-step=400.ckpt")] });
        var checkpoint = (await NextAsync(clock, updates)).Update;
        Assert.True(checkpoint.Noticed);
        Assert.Equal([400L], checkpoint.Points[1]["loss"].Select(p => p.Step));
    }

    [Fact]
    public async Task A_job_notice_reaches_the_jobs_feed_as_a_change_without_points_and_the_run_page_feed_too()
    {
        var (_, notices, clock, updates, feed) = Start(_ => true, PageFeedSource.Jobs);
        await using var _ = feed;
        var runUpdates = Channel.CreateUnbounded<Delivery>();
        await using var runPage = new PageFeed(new LiveBus(NullLogger<LiveBus>.Instance), notices, id => id == 2, Interval, clock, NullLogger.Instance,
            (u, _) => runUpdates.Writer.WriteAsync(new Delivery(u, clock.GetUtcNow())).AsTask());

        notices.NotifyJob(2);
        var job = (await updates.Reader.ReadAsync().AsTask().WaitAsync(Bounded)).Update;
        Assert.False(job.Reread);
        Assert.Empty(job.Points);
        var run = (await runUpdates.Reader.ReadAsync().AsTask().WaitAsync(Bounded)).Update;
        Assert.False(run.Reread);
        Assert.True(run.Noticed);
    }

    [Fact]
    public async Task The_alerts_feed_hears_alert_notices_only_and_the_run_page_feed_hears_them_too()
    {
        // Which runs the feed was asked about: notices ask at once, on the notifier's thread.
        var asked = new List<long>();
        var (bus, notices, clock, updates, feed) = Start(id => { lock (asked) asked.Add(id); return true; }, PageFeedSource.Alerts);
        await using var _ = feed;
        var runUpdates = Channel.CreateUnbounded<Delivery>();
        await using var runPage = new PageFeed(bus, notices, id => id == 3, Interval, clock, NullLogger.Instance,
            (u, _) => runUpdates.Writer.WriteAsync(new Delivery(u, clock.GetUtcNow())).AsTask());

        // Points, a job and a label change: the run page hears the points, the banner's feed none of them.
        bus.Publish(Commit(3, "loss", 100));
        Assert.Equal([100L], (await runUpdates.Reader.ReadAsync().AsTask().WaitAsync(Bounded)).Update.Points[3]["loss"].Select(p => p.Step));
        notices.NotifyJob(3);
        notices.Notify(3);
        notices.NotifyAlerts(4);

        var alert = (await updates.Reader.ReadAsync().AsTask().WaitAsync(Bounded)).Update;
        Assert.Empty(alert.Points);
        Assert.False(alert.Reread);
        lock (asked)
            Assert.Equal([4L], asked);
        var run = await NextAsync(clock, runUpdates);
        Assert.True(run.Update.Noticed);
    }

    [Fact]
    public async Task A_page_that_fails_to_apply_an_update_keeps_its_feed_and_re_reads_next_time()
    {
        var bus = new LiveBus(NullLogger<LiveBus>.Instance);
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var updates = Channel.CreateUnbounded<Delivery>();
        var calls = 0;
        await using var feed = new PageFeed(bus, new RunNotices(), _ => true, Interval, clock, NullLogger.Instance, async (u, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
                throw new InvalidOperationException("the browser went away mid-call");
            await updates.Writer.WriteAsync(new Delivery(u, clock.GetUtcNow()));
        });

        bus.Publish(Commit(1, "loss", 100));
        var after = (await NextAsync(clock, updates)).Update;
        Assert.True(after.Reread);
    }
}
