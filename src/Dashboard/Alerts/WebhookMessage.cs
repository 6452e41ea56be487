using System.Globalization;
using Dashboard.Components.Model;
using Dashboard.Core.Rules;

namespace Dashboard.Alerts;

/// <summary>
/// A webhook's body: <c>text</c> is what Slack (and Mattermost, Teams' Slack-compatible hooks)
/// show; <c>alert</c> carries the same alert as the API does, for scripts.
/// </summary>
public sealed record WebhookMessage(string Text, string Event, AlertView Alert)
{
    public static WebhookMessage For(AlertChangeKind kind, AlertView alert, string publicUrl)
    {
        var resolved = kind == AlertChangeKind.Resolved;
        var head = resolved ? "Resolved" : alert.Severity switch
        {
            AlertSeverity.Critical => ":red_circle: CRITICAL",
            AlertSeverity.Warning => ":warning: Warning",
            _ => ":information_source: Info",
        };
        var facts = new List<string>();
        if (alert.FirstStep is { } step)
            facts.Add($"from step {step.ToString("N0", CultureInfo.InvariantCulture)}");
        // The reading as the pages write it, by name when it is not a number: "value NaN" says the run crashed.
        if (alert.Value is { } value)
            facts.Add($"value {ValueFormat.Value(value)}");
        var at = facts.Count > 0 ? $" ({string.Join(", ", facts)})" : "";
        var text = $"{head} · {Escape(alert.Project)}/{Escape(alert.RunName)}: {Escape(alert.Message)}{at}";
        if (!resolved && alert.Advice.Length > 0)
            text += $"\n{Escape(alert.Advice)}";
        text += $"\n<{publicUrl}/runs/{alert.RunId}|Open the run>";
        return new WebhookMessage(text, resolved ? "resolved" : "raised", alert);
    }

    /// <summary>Slack's three control characters; a run named <c>&lt;!channel&gt;</c> must not ping anyone.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
