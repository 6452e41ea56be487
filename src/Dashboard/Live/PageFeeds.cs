using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Live;

/// <summary>Starts pages' feeds with the configured interval, so a page asks for one service, not four.</summary>
public sealed class PageFeeds(LiveBus bus, RunNotices notices, IOptions<DashboardOptions> options, TimeProvider clock, ILogger<PageFeed> logger)
{
    public PageFeed Start(Func<long, bool> wants, Func<PageUpdate, CancellationToken, Task> onUpdate) =>
        new(bus, notices, wants, TimeSpan.FromMilliseconds(options.Value.Live.PageRefreshMs), clock, logger, onUpdate);
}
