using Dashboard.Alerts;
using Dashboard.Core.Rules;

namespace Dashboard.Components.Model;

/// <summary>A run page's alerts: the banner (active warnings and critical ones), active information, and resolved ones.</summary>
public sealed record AlertsOfRun(IReadOnlyList<AlertItem> Banner, IReadOnlyList<AlertItem> Info, IReadOnlyList<AlertItem> Resolved)
{
    public static readonly AlertsOfRun None = new([], [], []);

    /// <summary>Splits a run's alerts, which arrive active first, loudest first, newest first.</summary>
    public static AlertsOfRun From(IEnumerable<AlertView> alerts)
    {
        var items = alerts.Select(a => new AlertItem(a)).ToList();
        return new(
            [.. items.Where(a => a.View.Active && a.View.Severity != AlertSeverity.Info)],
            [.. items.Where(a => a.View.Active && a.View.Severity == AlertSeverity.Info)],
            [.. items.Where(a => !a.View.Active)]);
    }
}
