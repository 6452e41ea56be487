using Dashboard.Core.Rules;

namespace Dashboard.Configuration;

/// <summary>Where alerts are sent besides the pages (the <c>Alerts</c> section).</summary>
public sealed class AlertsOptions
{
    /// <summary>Slack-compatible incoming webhooks, told once when an alert is raised and once when it clears.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Tries per message before it is given up (logged), with the delay doubling from <see cref="RetryDelayMs"/>.</summary>
    public int RetryAttempts { get; set; } = 5;

    public int RetryDelayMs { get; set; } = 1000;

    /// <summary>The address people open the service at, for links in messages (default: the first listening URL).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Committed points that may wait for the rules: when the rules are further behind (a cold ingest commits
    /// faster than they run), a run's missed points are read from the store instead. Measured on a cold ingest
    /// of 10M unhealthy points, a waiting point holds about 110 bytes of the service's memory (its lists, the
    /// commit around it, the GC's headroom): 1,000,000 took the service from 290 to 400 MB; 200,000 keeps it
    /// under 300 MB. Live trainings never fall this far behind.
    /// </summary>
    public long MaxQueuedPoints { get; set; } = 200_000;

    /// <summary>
    /// The nice value of the rules' thread (0..19; 0 keeps the service's priority): higher lets the ingest have the
    /// CPU first when the machine is busy. Measured on a cold ingest of a bad run on two cores (interleaved rounds): the
    /// rules at 0 slowed the ingest by about a quarter, at 10 or 19 (no different) by about a tenth to a fifth, and
    /// settled half a second after the last point was stored. On Windows, 1..9 is below normal, 10..19 lowest.
    /// </summary>
    public int Niceness { get; set; } = 10;
}

public sealed class WebhookOptions
{
    public string Url { get; set; } = "";

    /// <summary>Alerts below this severity are not sent.</summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Warning;
}
