using Dashboard.Alerts;
using Dashboard.Core.Rules;

namespace Dashboard.Components.Model;

/// <summary>
/// The alerts page's filters, read from its query string: state (active, resolved, all), severity,
/// rule, and text matched against the run's project and name. A value it cannot read is named in
/// <see cref="Problems"/> and that filter is left out, so the page still answers.
/// </summary>
public sealed record AlertsFilter(string State, AlertSeverity? Severity, string Rule, string Text, IReadOnlyList<string> Problems)
{
    public static readonly IReadOnlyList<string> States = ["active", "resolved", "all"];

    public static readonly IReadOnlyList<string> Severities = [.. Enum.GetValues<AlertSeverity>().Select(AlertItem.SeverityText)];

    public string SeverityText => Severity is { } s ? AlertItem.SeverityText(s) : "";

    public static AlertsFilter Parse(string? state, string? severity, string? rule, string? text, IEnumerable<string> ruleIds)
    {
        var problems = new List<string>();
        var pickedState = "active";
        if (!string.IsNullOrEmpty(state))
        {
            if (States.Contains(state.ToLowerInvariant()))
                pickedState = state.ToLowerInvariant();
            else
                problems.Add($"Unknown state '{state}' (active, resolved or all): showing active alerts.");
        }
        AlertSeverity? level = null;
        if (!string.IsNullOrEmpty(severity))
        {
            if (Enum.TryParse<AlertSeverity>(severity, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(severity, out _))
                level = parsed;
            else
                problems.Add($"Unknown severity '{severity}' (info, warning or critical): showing every severity.");
        }
        var pickedRule = "";
        if (!string.IsNullOrEmpty(rule))
        {
            if (ruleIds.Contains(rule, StringComparer.Ordinal))
                pickedRule = rule;
            else
                problems.Add($"Unknown rule '{rule}': showing every rule.");
        }
        return new(pickedState, level, pickedRule, text?.Trim() ?? "", problems);
    }

    /// <summary>What the store filters; the text is matched afterwards (<see cref="Matches"/>).</summary>
    public AlertQuery ToQuery() => new(
        Active: State switch { "active" => true, "resolved" => false, _ => null },
        Severity: Severity,
        Rule: Rule.Length == 0 ? null : Rule);

    public bool Matches(AlertView alert) =>
        Text.Length == 0
        || alert.Project.Contains(Text, StringComparison.OrdinalIgnoreCase)
        || alert.RunName.Contains(Text, StringComparison.OrdinalIgnoreCase)
        || $"{alert.Project}/{alert.RunName}".Contains(Text, StringComparison.OrdinalIgnoreCase);
}
