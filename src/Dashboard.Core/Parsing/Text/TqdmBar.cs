namespace Dashboard.Core.Parsing.Text;

/// <summary>
/// tqdm's default bar, <c>{desc}: {percentage}%|{bar}| {n}/{total} [{elapsed}&lt;{remaining}, {rate}{postfix}]</c>:
/// its count and total, and whether it has a description. Hugging Face's Trainer draws its training bar
/// without one (<c>  5%|▌         | 10/192 [00:00&lt;00:15, 11.6it/s]</c>); datasets' "Map:" and the
/// "Loading checkpoint shards:" bars have one.
/// </summary>
internal static class TqdmBar
{
    public static bool TryRead(ReadOnlySpan<char> segment, out bool hasDescription, out long count, out long total)
    {
        (hasDescription, count, total) = (false, 0, 0);
        var percent = segment.IndexOf("%|", StringComparison.Ordinal);
        if (percent < 0)
            return false;
        var barEnd = segment[(percent + 2)..].IndexOf('|');
        if (barEnd < 0)
            return false;
        var rest = segment[(percent + 3 + barEnd)..].TrimStart(' ');
        var slash = rest.IndexOf('/');
        var open = rest.IndexOf(" [", StringComparison.Ordinal);
        if (slash <= 0 || open <= slash
            || !long.TryParse(rest[..slash], System.Globalization.NumberStyles.None, null, out count)
            || !long.TryParse(rest[(slash + 1)..open], System.Globalization.NumberStyles.None, null, out total)
            || total == 0)
            return false;
        hasDescription = segment[..percent].TrimEnd("0123456789").Trim(' ').Length > 0;
        return true;
    }
}
