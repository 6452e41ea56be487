using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Live;

/// <summary>Starts pages' feeds with the configured interval, so a page asks for one service, not four.</summary>
public sealed class PageFeeds(LiveBus bus, RunNotices notices, IOptions<DashboardOptions> options, TimeProvider clock, ILogger<PageFeed> logger)
{
    public PageFeed Start(Func<long, bool> wants, Func<PageUpdate, CancellationToken, Task> onUpdate) =>
        new(bus, notices, wants, Interval, clock, logger, onUpdate);

    /// <summary>Every run's job changes (queued, progress, output, ended), without points.</summary>
    public PageFeed StartJobs(Func<PageUpdate, CancellationToken, Task> onUpdate) =>
        new(bus, notices, _ => true, Interval, clock, logger, onUpdate, PageFeedSource.Jobs);

    /// <summary>Every run's alert changes (stored, acknowledged), without points.</summary>
    public PageFeed StartAlerts(Func<PageUpdate, CancellationToken, Task> onUpdate) =>
        new(bus, notices, _ => true, Interval, clock, logger, onUpdate, PageFeedSource.Alerts);

    private TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.Live.PageRefreshMs);
}
