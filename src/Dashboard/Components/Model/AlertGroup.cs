using Dashboard.Core.Rules;
using MudBlazor;

namespace Dashboard.Components.Model;

/// <summary>
/// Active alerts of one run with the same cause (rule and severity): one banner naming every metric, with
/// the advice once, instead of one banner per metric repeating it (a crash with NaN on four losses).
/// </summary>
public sealed record AlertGroup(IReadOnlyList<AlertItem> Alerts)
{
    public AlertItem First => Alerts[0];

    public string Key => $"{First.View.RuleId}:{First.Severity}";

    public string Metrics => string.Join(", ", Alerts.Select(a => a.MetricText).Distinct(StringComparer.Ordinal));

    /// <summary>The step where the first of them began.</summary>
    public string FirstStepText => ValueFormat.Step(Alerts.Min(a => a.View.FirstStep));

    public bool Acknowledged => Alerts.All(a => a.Acknowledged);

    public string Ids => string.Join(" ", Alerts.Select(a => a.Id));

    /// <summary>In the order the store gives them (loudest, newest first), each cause where its first alert stood.</summary>
    public static IReadOnlyList<AlertGroup> Of(IEnumerable<AlertItem> alerts) =>
        [.. alerts.GroupBy(a => (a.View.RuleId, a.View.Severity)).Select(g => new AlertGroup([.. g]))];

    public Severity Tone => First.View.Severity switch
    {
        AlertSeverity.Critical => Severity.Error,
        AlertSeverity.Warning => Severity.Warning,
        _ => Severity.Info,
    };
}
