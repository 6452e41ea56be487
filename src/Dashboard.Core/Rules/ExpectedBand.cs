namespace Dashboard.Core.Rules;

/// <summary>The range a metric is expected in from <see cref="FromStep"/> up to (not including) <see cref="ToStep"/>.</summary>
public sealed record ExpectedBand
{
    public long FromStep { get; init; }
    public long ToStep { get; init; } = long.MaxValue;
    public double Min { get; init; } = double.NegativeInfinity;
    public double Max { get; init; } = double.PositiveInfinity;

    public bool Contains(long step) => step >= FromStep && step < ToStep;
}
