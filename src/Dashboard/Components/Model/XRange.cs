namespace Dashboard.Components.Model;

/// <summary>
/// The ends of a chart's x axis in the axis' own numbers (steps, Unix milliseconds for wall time, hours
/// since the start), as a zoom or pan left them; <see cref="All"/> after a double-click.
/// </summary>
public readonly record struct XRange(double From, double To)
{
    public static XRange All { get; } = new(double.NegativeInfinity, double.PositiveInfinity);

    public bool IsAll => this == All;
}
