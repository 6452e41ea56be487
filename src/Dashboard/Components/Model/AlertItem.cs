using Dashboard.Alerts;
using Dashboard.Core.Rules;
using MudBlazor;

namespace Dashboard.Components.Model;

/// <summary>
/// One alert, ready to render (banners, lists, the alerts table).
/// </summary>
public sealed record AlertItem(AlertView View)
{
    public long Id => View.Id;

    public string Severity => SeverityText(View.Severity);

    /// <summary>MudBlazor's colour for the severity: critical red, warning amber, information blue.</summary>
    public Color Color => View.Severity switch
    {
        AlertSeverity.Critical => Color.Error,
        AlertSeverity.Warning => Color.Warning,
        _ => Color.Info,
    };

    public string RunText => $"{View.Project} / {View.RunName}";

    public string RunHref => $"/runs/{View.RunId}";

    /// <summary>Run-level alerts (a crash, a stall) have no metric.</summary>
    public string MetricText => View.Metric.Length == 0 ? "whole run" : View.Metric;

    public string FirstStepText => ValueFormat.Step(View.FirstStep);

    public string LastStepText => ValueFormat.Step(View.LastStep);

    public string ValueText => ValueFormat.Value(View.Value);

    public string RaisedIso => ValueFormat.Iso(View.RaisedAt);

    public string RaisedText => ValueFormat.UtcText(View.RaisedAt);

    public string ResolvedIso => View.ResolvedAt is { } at ? ValueFormat.Iso(at) : "";

    public string ResolvedText => View.ResolvedAt is { } at ? ValueFormat.UtcText(at) : "active";

    public bool Acknowledged => View.AcknowledgedAt is not null;

    /// <summary>Lowercase, as the API and the hub write it.</summary>
    public static string SeverityText(AlertSeverity severity) => severity.ToString().ToLowerInvariant();
}
