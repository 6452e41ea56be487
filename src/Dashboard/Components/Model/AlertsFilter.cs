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

    /// <summary>Alerts read to match a text against: the text is matched here, after the store's filters.</summary>
    private const int TextScanLimit = 20 * MaxRows;

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

    /// <summary>The alerts that pass every filter, up to one more than <see cref="MaxRows"/> (so the page can say there are more).</summary>
    public async Task<IReadOnlyList<AlertView>> ApplyAsync(AlertStore store, CancellationToken cancellationToken)
    {
        var query = new AlertQuery(
            Active: State switch { "active" => true, "resolved" => false, _ => null },
            Severity: Severity,
            Rule: Rule.Length == 0 ? null : Rule,
            Limit: Text.Length == 0 ? MaxRows + 1 : TextScanLimit);
        return [.. (await store.ListAsync(query, cancellationToken)).Where(Matches).Take(MaxRows + 1)];
    }

    private bool Matches(AlertView alert) =>
        Text.Length == 0
        || alert.Project.Contains(Text, StringComparison.OrdinalIgnoreCase)
        || alert.RunName.Contains(Text, StringComparison.OrdinalIgnoreCase)
        || $"{alert.Project}/{alert.RunName}".Contains(Text, StringComparison.OrdinalIgnoreCase);
}
