namespace Dashboard.Core.Parsing;

/// <summary>
/// A number with a memory unit as logs print it: Detectron2's <c>5432M</c>, YOLOv5's <c>3.35G</c>,
/// <c>812MB</c>, <c>1.5GiB</c>. The number is kept as printed (not converted to bytes): the unit stays
/// the key's, as the tool chose it, and the curve reads the way the log does.
/// </summary>
internal static class MemorySize
{
    public static bool TryParse(ReadOnlySpan<char> token, out double value)
    {
        value = 0;
        var digits = token.Length;
        while (digits > 0 && char.IsAsciiLetter(token[digits - 1]))
            digits--;
        var unit = token[digits..];
        if (digits == 0 || digits == token.Length || !IsUnit(unit))
            return false;
        var number = token[..digits];
        return number[0] is not ('-' or '+') && DecimalParser.TryParse(number, out value) && !double.IsNaN(value) && !double.IsInfinity(value);
    }

    private static bool IsUnit(ReadOnlySpan<char> unit) => unit switch
    {
        "K" or "M" or "G" or "T" or "k" => true,
        "KB" or "MB" or "GB" or "TB" or "kB" => true,
        "KiB" or "MiB" or "GiB" or "TiB" => true,
        _ => false,
    };
}
