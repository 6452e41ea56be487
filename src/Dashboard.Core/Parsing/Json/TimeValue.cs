using System.Globalization;

namespace Dashboard.Core.Parsing.Json;

/// <summary>
/// A record's own time as structured logs write it: unix seconds (<c>1723754467.12</c>), unix
/// milliseconds, microseconds or nanoseconds (time.time_ns()), or a date (<c>2025-08-15 20:41:07</c> as local time, ISO 8601 with its offset).
/// A number outside 2001..5138 is not a time (mmcv's <c>"time": 0.53</c> is a duration, a metric).
/// </summary>
internal static class TimeValue
{
    private const double MinSeconds = 1e9;
    private const double MaxSeconds = 1e11;
    private const int MaxTextLength = 40;

    public static bool TryFromNumber(double value, out long unixMs)
    {
        unixMs = 0;
        if (value is >= MinSeconds and < MaxSeconds)
            unixMs = (long)Math.Round(value * 1000);
        else if (value is >= MinSeconds * 1e3 and < MaxSeconds * 1e3)
            unixMs = (long)Math.Round(value);
        else if (value is >= MinSeconds * 1e6 and < MaxSeconds * 1e6)
            unixMs = (long)Math.Round(value / 1e3);
        else if (value is >= MinSeconds * 1e9 and < MaxSeconds * 1e9)
            unixMs = (long)Math.Round(value / 1e6);
        else
            return false;
        return true;
    }

    public static bool TryFromText(ReadOnlySpan<char> text, out long unixMs)
    {
        unixMs = 0;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return TryFromNumber(number, out unixMs);
        // A date first: "20:41:07" alone would parse as today.
        if (text.Length is < 10 or > MaxTextLength || text[4] != '-' || text[7] != '-')
            return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var time))
            return false;
        unixMs = time.ToUnixTimeMilliseconds();
        return true;
    }
}
