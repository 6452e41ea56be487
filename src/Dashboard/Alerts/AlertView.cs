using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Storage.Entities;

namespace Dashboard.Alerts;

/// <summary>An alert as the API, the hub and the pages show it, with its run's name.</summary>
public sealed record AlertView(
    long Id,
    long RunId,
    string Project,
    string RunName,
    string RuleId,
    string Metric,
    AlertSeverity Severity,
    bool Active,
    string Message,
    string Advice,
    long? FirstStep,
    long? LastStep,
    double? Value,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? AcknowledgedAt)
{
    public static AlertView From(AlertEntity alert, string project, string runName) => new(
        alert.Id, alert.RunId, project, runName, alert.RuleId, alert.Metric, alert.Severity, alert.ResolvedAtMs is null,
        alert.Message, alert.Advice, alert.FirstStep, alert.LastStep, alert.Value,
        UnixTime.ToDate(alert.RaisedAtMs),
        UnixTime.ToDate(alert.UpdatedAtMs),
        UnixTime.ToDate(alert.ResolvedAtMs),
        UnixTime.ToDate(alert.AcknowledgedAtMs));

    /// <summary>Whether the run's project, name or "project/name" contains the text, ignoring case.</summary>
    public bool Mentions(string text) =>
        Project.Contains(text, StringComparison.OrdinalIgnoreCase)
        || RunName.Contains(text, StringComparison.OrdinalIgnoreCase)
        || $"{Project}/{RunName}".Contains(text, StringComparison.OrdinalIgnoreCase);
}
