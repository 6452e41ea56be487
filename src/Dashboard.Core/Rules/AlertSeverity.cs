namespace Dashboard.Core.Rules;

/// <summary>How loud an alert is: information (an expected band), a warning sign, or a critical one.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}
