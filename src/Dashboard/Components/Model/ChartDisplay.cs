using System.Globalization;

namespace Dashboard.Components.Model;

/// <summary>
/// How a page draws its charts, chosen by the user and kept in the page's address
/// (`?smoothing=0.6&amp;log=true&amp;x=wall`), so a view can be bookmarked or shared. Smoothing is TensorBoard's: an
/// exponential moving average with the raw curve kept faint behind it.
/// </summary>
public sealed record ChartDisplay(double Smoothing, bool LogScale, ChartAxis Axis = ChartAxis.Step)
{
    public const double MaxSmoothing = 0.99;

    public static ChartDisplay Default { get; } = new(0, false);

    /// <summary>From the address's values; what cannot be read is the default.</summary>
    public static ChartDisplay Parse(string? smoothing, string? log, string? x = null) => new(
        double.TryParse(smoothing, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) ? Math.Clamp(s, 0, MaxSmoothing) : 0,
        bool.TryParse(log, out var l) && l,
        Enum.TryParse<ChartAxis>(x, ignoreCase: true, out var axis) && Enum.IsDefined(axis) && !int.TryParse(x, out _) ? axis : ChartAxis.Step);

    /// <summary>The address's values for these options, null where the default.</summary>
    public (string? Smoothing, string? Log, string? X) ToQuery() =>
        (Smoothing > 0 ? Smoothing.ToString("0.##", CultureInfo.InvariantCulture) : null, LogScale ? "true" : null,
         Axis == ChartAxis.Step ? null : Axis.ToString().ToLowerInvariant());
}
