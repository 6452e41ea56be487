namespace Dashboard.Core.Records;

/// <summary>The steps from <see cref="From"/> to <see cref="To"/>, both included.</summary>
public readonly record struct StepRange(long From, long To)
{
    public static StepRange All { get; } = new(long.MinValue, long.MaxValue);

    /// <summary>Every step from <paramref name="from"/> on.</summary>
    public static StepRange Starting(long from) => new(from, long.MaxValue);

    public bool IsAll => this == All;
}
