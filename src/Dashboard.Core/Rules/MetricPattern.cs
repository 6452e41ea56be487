using Dashboard.Core.Metrics;

namespace Dashboard.Core.Rules;

/// <summary>Matching metric names against a rule's patterns, and pairing a training metric with its validation twin.</summary>
public static class MetricPattern
{
    /// <summary>Glob match (<c>*</c> any run of characters, <c>?</c> one), ignoring case.</summary>
    public static bool Matches(string pattern, string key)
    {
        int p = 0, k = 0, star = -1, resume = 0;
        while (k < key.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(key[k])))
            {
                p++;
                k++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = k;
            }
            else if (star >= 0)
            {
                p = star + 1;
                k = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    public static bool MatchesAny(IEnumerable<string> patterns, string key) => patterns.Any(pattern => Matches(pattern, key));

    /// <summary>
    /// The name without its split word and separators: <c>train/mIoU</c>, <c>val/mIoU</c> → <c>miou</c>;
    /// <c>loss</c>, <c>val_loss</c>, <c>eval_loss</c> → <c>loss</c>. Two metrics with the same twin name are a pair.
    /// </summary>
    public static string TwinName(string key) =>
        string.Concat(MetricNames.BaseName(key).ToLowerInvariant().Where(char.IsLetterOrDigit));
}
