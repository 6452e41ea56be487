namespace Dashboard.Core.Rules;

public enum AlertChangeKind
{
    Raised,
    Updated,
    Resolved,
}

/// <summary>What happened to an alert during one batch of points; an alert raised and resolved within it gives both.</summary>
public sealed record AlertChange(AlertChangeKind Kind, TrackedAlert Alert);
