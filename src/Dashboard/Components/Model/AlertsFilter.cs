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
    /// <summary>Rows the page shows at most (active first, loudest first, newest first).</summary>
    public const int MaxRows = 500;

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

    /// <summary>The store's query for these filters, up to one more than <see cref="MaxRows"/> (so the page can say there are more).</summary>
    public AlertQuery Query => new(
        Active: State switch { "active" => true, "resolved" => false, _ => null },
        Severity: Severity,
        Rule: Rule.Length == 0 ? null : Rule,
        Limit: MaxRows + 1,
        Text: Text.Length == 0 ? null : Text);

    /// <summary>The page's address with these filters, so a filtered view can be shared and survives a reload.</summary>
    public string PageUrl => "/alerts" + QueryString.Create(new Dictionary<string, string?>
    {
        ["state"] = State == "active" ? null : State,
        ["severity"] = Severity is null ? null : SeverityText,
        ["rule"] = Rule.Length == 0 ? null : Rule,
        ["q"] = Text.Length == 0 ? null : Text,
    }.Where(p => p.Value is not null)).ToUriComponent();
}
