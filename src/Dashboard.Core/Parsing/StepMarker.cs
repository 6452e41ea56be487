using System.Buffers;
using System.Text;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Where a line says which step it belongs to: <c>Iter 500/50000</c>, <c>Iteration 500</c>,
/// <c>[Train Step] 100/50000</c>, <c>step: 7</c>, <c>global_step=7</c>, <c>Epoch [3/50]</c>.
/// Start..End is the marker's text, so its numbers are not read again as metrics.
/// </summary>
internal readonly record struct StepMarker(int Start, int End, long Step, long? Total)
{
    private const int MaxSeparators = 4;
    private const int MaxDigits = 18;

    private const string Global = "global_";

    // First letters of step, iter(ation), epoch: a char search is much cheaper than a multi-string one on short lines.
    private static readonly SearchValues<char> KeywordStarts = SearchValues.Create("sSiIeE");

    /// <summary>The first step or iteration marker; an epoch marker only when there is none (it is the coarser clock).</summary>
    public static bool TryFind(ReadOnlySpan<char> text, out StepMarker marker)
    {
        marker = default;
        var foundEpoch = false;
        for (var pos = 0; pos < text.Length; pos++)
        {
            var found = text[pos..].IndexOfAny(KeywordStarts);
            if (found < 0)
                break;
            pos += found;
            if (!TryReadAt(text, pos, out var candidate, out var isEpoch))
                continue;
            if (!isEpoch)
            {
                marker = candidate;
                return true;
            }
            if (!foundEpoch)
                (marker, foundEpoch) = (candidate, true);
        }
        return foundEpoch;
    }

    private static bool TryReadAt(ReadOnlySpan<char> text, int start, out StepMarker marker, out bool isEpoch)
    {
        marker = default;
        isEpoch = false;
        var afterWordChar = start > 0 && IsWordChar(text[start - 1]);
        var isGlobalStep = afterWordChar && text[start - 1] == '_' && start >= Global.Length && Ascii.EqualsIgnoreCase(text.Slice(start - Global.Length, Global.Length), Global);
        if (afterWordChar && !isGlobalStep)
            return false;
        var rest = text[start..];
        var isStep = IsKeyword(rest, "step");
        isEpoch = !isStep && IsKeyword(rest, "epoch");
        var length = isStep ? 4 : isEpoch ? 5 : IsKeyword(rest, "iteration") ? 9 : IsKeyword(rest, "iter") ? 4 : 0;
        if (length == 0 || (isGlobalStep && !isStep))
            return false;
        var pos = start + length;
        if (isGlobalStep)
            start -= Global.Length;
        if (pos < text.Length && IsWordChar(text[pos]))
            return false;
        for (var separators = 0; separators < MaxSeparators && pos < text.Length && text[pos] is ' ' or '\t' or ':' or '=' or '[' or ']' or '(' or '#'; separators++)
            pos++;
        if (!TryReadNumber(text, ref pos, out var step))
            return false;
        var total = ReadTotal(text, ref pos);
        if (!IsBoundary(text, pos))
            return false;
        marker = new StepMarker(start, pos, step, total);
        return true;
    }

    private static bool IsKeyword(ReadOnlySpan<char> text, string keyword) =>
        text.Length >= keyword.Length && Ascii.EqualsIgnoreCase(text[..keyword.Length], keyword);

    /// <summary>"/50000" (spaces allowed around '/') after the step; a zero total says nothing.</summary>
    private static long? ReadTotal(ReadOnlySpan<char> text, ref int pos)
    {
        var probe = pos;
        while (probe < text.Length && text[probe] == ' ')
            probe++;
        if (probe >= text.Length || text[probe] != '/')
            return null;
        probe++;
        while (probe < text.Length && text[probe] == ' ')
            probe++;
        if (!TryReadNumber(text, ref probe, out var total))
            return null;
        pos = probe;
        return total > 0 ? total : null;
    }

    private static bool TryReadNumber(ReadOnlySpan<char> text, ref int pos, out long value)
    {
        value = 0;
        var start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]) && pos - start < MaxDigits)
            value = (value * 10) + (text[pos++] - '0');
        return pos > start && (pos >= text.Length || !char.IsAsciiDigit(text[pos]));
    }

    /// <summary>"step 100" ends here; "step 100k", "step 1.5" and "step_100" do not.</summary>
    private static bool IsBoundary(ReadOnlySpan<char> text, int pos) =>
        pos >= text.Length
        || (!IsWordChar(text[pos]) && !(text[pos] == '.' && pos + 1 < text.Length && char.IsAsciiDigit(text[pos + 1])));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
