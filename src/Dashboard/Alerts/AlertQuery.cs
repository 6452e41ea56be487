using Dashboard.Core.Rules;

namespace Dashboard.Alerts;

/// <summary>A filter over alerts (the alerts page and <c>GET /api/alerts</c>); null means any.</summary>
public sealed record AlertQuery(long? RunId = null, bool? Active = null, AlertSeverity? Severity = null, string? Rule = null, int Limit = 500);
