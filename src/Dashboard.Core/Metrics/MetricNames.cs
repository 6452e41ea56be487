using System.Text.RegularExpressions;

namespace Dashboard.Core.Metrics;

/// <summary>
/// The split marker of a metric key (train, val, eval, test) and the quantity without it, shared by
/// the run page's chart groups and the reports: "train/mIoU", "val/mIoU", "Validation mIoU" and
/// "mIoU_val" all measure "mIoU".
/// </summary>
public static partial class MetricNames
{
    private static readonly HashSet<string> SplitWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "train", "training", "val", "valid", "validation", "eval", "evaluation", "test",
    };

    /// <summary>The key's split word as written (prefix or suffix), or null when it has none.</summary>
    public static string? SplitWord(string key)
    {
        var m = SplitPrefix().Match(key);
        if (m.Success && SplitWords.Contains(m.Groups[1].Value)) return m.Groups[1].Value;
        m = SplitSuffix().Match(key);
        return m.Success && SplitWords.Contains(m.Groups[2].Value) ? m.Groups[2].Value : null;
    }

    public static string BaseName(string key)
    {
        var m = SplitPrefix().Match(key);
        if (m.Success && SplitWords.Contains(m.Groups[1].Value)) return m.Groups[2].Value;
        m = SplitSuffix().Match(key);
        if (m.Success && SplitWords.Contains(m.Groups[2].Value)) return m.Groups[1].Value;
        return key;
    }

    [GeneratedRegex(@"^([A-Za-z]+)[/_ .:\-]+(.+)$")]
    private static partial Regex SplitPrefix();

    [GeneratedRegex(@"^(.+?)[/_ .:\-]+([A-Za-z]+)$")]
    private static partial Regex SplitSuffix();
}
