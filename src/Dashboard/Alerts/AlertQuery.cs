using Dashboard.Core.Rules;

namespace Dashboard.Alerts;

/// <summary>
/// A filter over alerts (the alerts page and <c>GET /api/alerts</c>); null means any. <see cref="Text"/>
/// is looked for in the run's project and name (<see cref="AlertView.Mentions"/>).
/// </summary>
public sealed record AlertQuery(long? RunId = null, bool? Active = null, AlertSeverity? Severity = null, string? Rule = null, int Limit = 500, string? Text = null);
