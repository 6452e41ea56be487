namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// What a condition says after a point: whether it holds, since which step, the value that shows it,
/// and how severe it is now (a gap can escalate from warning to critical).
/// </summary>
internal readonly record struct Reading(bool Holds, long Since, double Value, AlertSeverity Severity)
{
    public static Reading Clear => default;
}
