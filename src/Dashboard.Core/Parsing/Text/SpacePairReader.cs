using System.Text;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Reads <c>key value</c> pairs with no ':' or '=' between them, as PyTorch's ImageNet example prints
/// (<c>Time  0.512 ( 0.623)	Loss 6.9120e+00 (6.9310e+00)	Acc@1   0.00 (  0.10)</c>) or
/// <c>step 100 loss 0.5 acc 0.9</c>. All or nothing: the text must be nothing but such pairs (a running
/// average in parentheses after a value, or a unit after it, is allowed), so that a print such as
/// "Iteration 5 of 10" or "saved 3 files" gives nothing. A pair whose value carries a unit
/// (<c>12.3 samples/s</c>, <c>0.45 s</c>, <c>45 %</c>) is dropped: throughput and durations are no metrics.
/// </summary>
internal static class SpacePairReader
{
    private const int MaxKeyWords = 3;
    private const int MaxAverageChars = 32;

    private static readonly string[] StopWords =
        ["of", "in", "at", "to", "for", "from", "with", "by", "after", "before", "is", "was", "are", "were", "and", "or", "the", "a", "an", "on", "took", "takes", "saved", "loaded", "found", "using", "every", "per", "than"];

    /// <summary>Appends (key start, key length, value) for each pair, or nothing when text is not all pairs.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, List<(int Start, int Length, double Value)> pairs)
    {
        var first = pairs.Count;
        var pos = 0;
        var keyStart = -1;
        var keyEnd = -1;
        var keyWords = 0;
        while (true)
        {
            while (pos < text.Length && text[pos] is ' ' or '\t' or '|' or ',' or ';')
            {
                if (text[pos] is '|' or ',' or ';' && keyStart >= 0)
                    return Fail(pairs, first);
                pos++;
            }
            if (pos >= text.Length)
                break;
            var tokenStart = pos;
            while (pos < text.Length && text[pos] is not (' ' or '\t' or '|' or ',' or ';'))
                pos++;
            var token = text[tokenStart..pos];
            if (TryParseNumber(token, out var value))
            {
                if (keyStart < 0)
                {
                    // "0.41 s/it": a rate or duration on its own is no pair, and no reason to doubt the others.
                    if (!SkipUnit(text, ref pos))
                        return Fail(pairs, first);
                    continue;
                }
                pos = SkipRunningAverage(text, pos);
                if (!SkipUnit(text, ref pos))
                    pairs.Add((keyStart, keyEnd - keyStart, value));
                keyStart = -1;
                keyWords = 0;
                continue;
            }
            if (keyStart >= 0 && char.IsAsciiDigit(token[0]))
            {
                // "5432M" is a memory size; "0.45s", "45%", "1:02:03" are durations and shares: no metric.
                if (MemorySize.TryParse(token, out value))
                    pairs.Add((keyStart, keyEnd - keyStart, value));
                keyStart = -1;
                keyWords = 0;
                continue;
            }
            if (!IsKeyWord(token) || ++keyWords > MaxKeyWords)
                return Fail(pairs, first);
            if (keyStart < 0)
                keyStart = tokenStart;
            keyEnd = pos;
        }
        return keyStart < 0 ? pairs.Count > first : Fail(pairs, first);
    }

    private static bool Fail(List<(int, int, double)> pairs, int first)
    {
        pairs.RemoveRange(first, pairs.Count - first);
        return false;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> token, out double value)
    {
        value = 0;
        var body = token.Length > 0 && token[0] is '+' or '-' ? token[1..] : token;
        if (body.IsEmpty)
            return false;
        if (char.IsAsciiDigit(body[0]) || body[0] == '.')
            return DecimalParser.TryParse(token, out value);
        if (Ascii.EqualsIgnoreCase(body, "nan"))
        {
            value = double.NaN;
            return true;
        }
        return false;
    }

    /// <summary>A word that can be (part of) a metric's name: "Loss", "Acc@1", "train/loss", "lr".</summary>
    private static bool IsKeyWord(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || !(char.IsLetter(token[0]) || token[0] == '_'))
            return false;
        foreach (var c in token)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '@' or '/' or '.' or '-'))
                return false;
        }
        foreach (var stop in StopWords)
        {
            if (token.Equals(stop, StringComparison.OrdinalIgnoreCase))
                return false;
        }
        // "samples/s" after a number is its unit; before one it would be the key of the next pair.
        return !IsUnit(token);
    }

    private static int SkipRunningAverage(ReadOnlySpan<char> text, int pos)
    {
        var probe = pos;
        while (probe < text.Length && text[probe] is ' ' or '\t')
            probe++;
        if (probe >= text.Length || text[probe] != '(')
            return pos;
        var close = text[probe..].IndexOf(')');
        if (close < 2 || close > MaxAverageChars)
            return pos;
        return DecimalParser.TryParse(text.Slice(probe + 1, close - 1).Trim(' '), out _) ? probe + close + 1 : pos;
    }

    /// <summary>Moves past a unit right after a value ("s", "ms", "%", "it/s", "samples/s") and says whether there was one.</summary>
    private static bool SkipUnit(ReadOnlySpan<char> text, ref int pos)
    {
        var probe = pos;
        while (probe < text.Length && text[probe] is ' ' or '\t')
            probe++;
        var start = probe;
        while (probe < text.Length && text[probe] is not (' ' or '\t' or '|' or ',' or ';'))
            probe++;
        if (probe == start || !IsUnit(text[start..probe]))
            return false;
        pos = probe;
        return true;
    }

    /// <summary>A unit that makes the number before it a duration, a rate or a share: no metric.</summary>
    public static bool IsUnit(ReadOnlySpan<char> token) =>
        token.EndsWith("/s", StringComparison.Ordinal) || token.EndsWith("/sec", StringComparison.Ordinal)
        || token is "s" or "ms" or "sec" or "secs" or "seconds" or "min" or "mins" or "minutes" or "h" or "hours" or "%" or "s/it" or "it/s";
}
