using System.Globalization;

namespace Dashboard.Core.Reports;

/// <summary>How numbers read in every rendering of a report (HTML, Markdown, charts, conclusions).</summary>
public static class ReportNumber
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Six significant digits; exponent form for tiny and huge values; non-finite values by name.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return "0";
        var abs = Math.Abs(value);
        if (abs >= 1e7 || abs < 1e-3) return value.ToString("0.###e+0", Inv);
        return value.ToString("G6", Inv);
    }

    public static string Format(double? value) => value is { } v ? Format(v) : "—";

    public static string Percent(double percent) => percent.ToString("0.0", Inv) + "%";

    public static string Step(long step) => step.ToString(Inv);

    /// <summary>"3 h 34 min", "12 min 5 s", "45 s".</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(Math.Max(0, seconds));
        if (s < 60) return $"{s} s";
        if (s < 3600) return $"{s / 60} min {s % 60} s";
        if (s < 86400) return $"{s / 3600} h {s % 3600 / 60} min";
        return $"{s / 86400} d {s % 86400 / 3600} h";
    }
}
