namespace Dashboard.Core.Parsing;

/// <summary>
/// The wall-clock time at the start of a Python logging line: <c>2025-08-17 20:37:12,345</c>,
/// <c>2025-08-17T20:37:12.345678</c>, mmengine's <c>2024/03/01 12:00:00</c>, optionally in brackets. Read by hand: it is on every hot line.
/// </summary>
internal static class LogTimestamp
{
    private const int DateTimeLength = 19;

    /// <summary>The local time written at the start of text and how many chars it takes.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, out DateTime local, out int length)
    {
        local = default;
        length = 0;
        var bracket = !text.IsEmpty && text[0] == '[' ? 1 : 0;
        var s = text[bracket..];
        if (s.Length < DateTimeLength || s[4] is not ('-' or '/') || s[7] != s[4] || s[10] is not (' ' or 'T') || s[13] != ':' || s[16] != ':')
            return false;
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        var end = DateTimeLength;
        var fractionTicks = ReadFraction(s, ref end);
        if (end < s.Length && char.IsAsciiDigit(s[end]))
            return false;
        if (bracket == 1 && end < s.Length && s[end] == ']')
            end++;
        local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Local).AddTicks(fractionTicks);
        length = bracket + end;
        return true;
    }

    /// <summary>Optional ",345" / ".345678" after the seconds, as ticks; digits beyond ticks are read and dropped.</summary>
    private static long ReadFraction(ReadOnlySpan<char> s, ref int end)
    {
        if (end + 1 >= s.Length || s[end] is not (',' or '.') || !char.IsAsciiDigit(s[end + 1]))
            return 0;
        var ticks = 0L;
        var scale = TimeSpan.TicksPerSecond;
        var pos = end + 1;
        for (; pos < s.Length && char.IsAsciiDigit(s[pos]); pos++)
        {
            scale /= 10;
            ticks += (s[pos] - '0') * scale;
        }
        end = pos;
        return ticks;
    }

    private const int MonthDayLength = 15;
    private const int MaxLoggerNameChars = 120;

    /// <summary>
    /// Detectron2's "[03/01 12:00:00 d2.utils.events]: " prefix, which prints no year: the year is the one
    /// of <paramref name="nowLocal"/>, or the one before when that would put the line more than a day in
    /// the future (a log from December read in January). length covers the whole prefix.
    /// </summary>
    public static bool TryReadMonthDay(ReadOnlySpan<char> text, DateTime nowLocal, out DateTime local, out int length)
    {
        local = default;
        length = 0;
        if (text.Length < MonthDayLength + 3 || text[0] != '[' || text[3] != '/' || text[6] != ' ' || text[9] != ':' || text[12] != ':' || text[15] != ' ')
            return false;
        if (!TryDigits(text.Slice(1, 2), out var month) || !TryDigits(text.Slice(4, 2), out var day) || !TryDigits(text.Slice(7, 2), out var hour)
            || !TryDigits(text.Slice(10, 2), out var minute) || !TryDigits(text.Slice(13, 2), out var second))
            return false;
        var close = text[16..].IndexOf(']');
        if (close < 0 || close > MaxLoggerNameChars || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || nowLocal.Year < 2)
            return false;
        var year = nowLocal.Year;
        if (!TryDate(year, month, day, hour, minute, second, out local))
            return false;
        if (local > nowLocal.AddDays(1) && !TryDate(year - 1, month, day, hour, minute, second, out local))
            return false;
        length = 16 + close + 1;
        if (length < text.Length && text[length] == ':')
            length++;
        return true;
    }

    private static bool TryDate(int year, int month, int day, int hour, int minute, int second, out DateTime local)
    {
        local = default;
        if (day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Local);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return false;
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
