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
}

public sealed class WebhookOptions
{
    public string Url { get; set; } = "";

    /// <summary>Alerts below this severity are not sent.</summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Warning;
}
