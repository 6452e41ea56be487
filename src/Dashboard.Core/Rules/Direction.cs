namespace Dashboard.Core.Rules;

/// <summary>Which way a trend goes, or which way is better for a plateau.</summary>
public enum Direction
{
    Up,
    Down,
}
