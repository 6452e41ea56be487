namespace Dashboard.Live;

/// <summary>What a page's feed hears.</summary>
public enum PageFeedSource
{
    /// <summary>Committed points from the live bus and every run notice: the run list and run pages.</summary>
    Runs,

    /// <summary>Job notices only (no points): the jobs page, which would otherwise re-read its list on every commit.</summary>
    Jobs,

    /// <summary>
    /// Alert notices only (no points): the critical banner on every page. Hearing every run's points, 50 open pages
    /// re-read the active critical alerts ten times a second each while 100 runs wrote: a fifth of the service's CPU.
    /// </summary>
    Alerts,
}
