using System.Globalization;

namespace Dashboard.Components.Model;

/// <summary>
/// Number, step and duration formatting shared by every page, live updates included: one place, so a value reads
/// the same in the run list, the run page, the alerts and the jobs.
/// </summary>
public static class ValueFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"NaN", "Infinity", "-Infinity", integers as is, tiny/huge in exponent form, else 4 significant digits.</summary>
    public static string Value(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return "0";
        var abs = Math.Abs(value);
        if (abs >= 1e6 || abs < 1e-3) return value.ToString("0.00e+0", Inv);
        if (value == Math.Floor(value)) return value.ToString("0", Inv);
        if (abs >= 1000) return value.ToString("0.0", Inv);
        return value.ToString("G4", Inv);
    }

    public static string Value(double? value) => value is { } v ? Value(v) : "—";

    /// <summary>"35000" (no separators, so the text matches the logs), "—" when unknown.</summary>
    public static string Step(long? step) => step is { } s ? s.ToString(Inv) : "—";

    /// <summary>"35000 / 150000", "35000" without a total, "—" when nothing is known.</summary>
    public static string StepOfTotal(long? step, long? total) =>
        total is { } t ? $"{Step(step ?? 0)} / {Step(t)}" : Step(step);

    /// <summary>"45s", "4m 5s", "1h 23m", "2d 3h".</summary>
    public static string Duration(TimeSpan span)
    {
        var s = Math.Max(0L, (long)Math.Round(span.TotalSeconds));
        if (s < 60) return $"{s}s";
        if (s < 3600) return $"{s / 60}m {s % 60}s";
        if (s < 86400) return $"{s / 3600}h {s % 3600 / 60}m";
        return $"{s / 86400}d {s % 86400 / 3600}h";
    }

    /// <summary>"just now", "12s ago", "5m ago", "3h ago", "2d ago".</summary>
    public static string Ago(TimeSpan span)
    {
        var s = (long)Math.Floor(span.TotalSeconds);
        if (s < 1) return "just now";
        if (s < 60) return $"{s}s ago";
        if (s < 3600) return $"{s / 60}m ago";
        if (s < 86400) return $"{s / 3600}h ago";
        return $"{s / 86400}d ago";
    }

    /// <summary>"2025-08-15 20:41:07 UTC", for people.</summary>
    public static string UtcText(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv);

    /// <summary>ISO 8601 UTC with milliseconds, as the API writes times.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", Inv);
}
