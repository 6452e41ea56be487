using System.Globalization;

namespace Dashboard.Core.Parsing.Json;

/// <summary>Numbers as structured logs write them in text: decimals, and nan/inf in the spellings Python and pandas use.</summary>
internal static class NumberText
{
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return true;
        return TryParseSpecial(text, out value);
    }

    /// <summary>NaN, nan, inf, -inf, Infinity, -Infinity, +inf (any case).</summary>
    public static bool TryParseSpecial(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.Length is < 3 or > 9)
            return false;
        var negative = text[0] == '-';
        var body = text[0] is '-' or '+' ? text[1..] : text;
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
            value = double.NaN;
        else if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
        else
            return false;
        return true;
    }
}
