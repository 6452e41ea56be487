using System.Buffers;
using System.Text;

namespace Dashboard.Core.Parsing;

/// <summary>Which loop a marker counts: mmengine writes <c>Iter(val) [50/500]</c> for its validation loop.</summary>
internal enum MarkerMode : byte
{
    Train,
    Val,
    Test,
}

/// <summary>
/// Where a line says which step it belongs to: <c>Iter 500/50000</c>, <c>Iteration 500</c>,
/// <c>[Train Step] 100/50000</c>, <c>step: 7</c>, <c>iter: 19</c>, <c>global_step=7</c>, <c>Epoch [3/50]</c>,
/// mmengine's <c>Iter(train) [  50/40000]</c> and <c>Epoch(train) [1][50/500]</c>, timm's
/// <c>Train: 3 [ 100/1251 (  8%)]</c>, and the PyTorch
/// tutorial's <c>Epoch [3/10], Step [100/600]</c>. Start..End is the marker's text, so its numbers are
/// not read again as metrics.
/// </summary>
/// <remarks>
/// When a line gives both an epoch and a batch within it (<see cref="Epoch"/> is set), Step/Total are
/// the batch and the batches per epoch; the parser turns them into a global step.
/// </remarks>
internal readonly record struct StepMarker(
    int Start, int End, long Step, long? Total, bool IsEpoch = false, MarkerMode Mode = MarkerMode.Train, long? Epoch = null, long? Epochs = null)
{
    private const int MaxSeparators = 12;
    private const int MaxDigits = 18;

    private const string Global = "global_";

    // First letters of step, iter(ation), epoch: a char search is much cheaper than a multi-string one on short lines.
    private static readonly SearchValues<char> KeywordStarts = SearchValues.Create("sSiIeETt");

    /// <summary>
    /// The first step or iteration marker; an epoch marker only when there is none (it is the coarser
    /// clock). An epoch marker before a step marker that gives its batches per epoch
    /// (<c>Epoch [3/10], Step [100/600]</c>) makes one marker of both.
    /// </summary>
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
            if (!TryReadAt(text, pos, out var candidate))
                continue;
            if (!candidate.IsEpoch)
            {
                marker = foundEpoch && marker.Epoch is null && candidate.Total is not null && candidate.Mode == marker.Mode
                    ? candidate with { Start = marker.Start, Epoch = marker.Step, Epochs = marker.Total }
                    : candidate;
                return true;
            }
            if (!foundEpoch)
                (marker, foundEpoch) = (candidate, true);
            pos = candidate.End - 1;
        }
        return foundEpoch;
    }

    private static bool TryReadAt(ReadOnlySpan<char> text, int start, out StepMarker marker)
    {
        marker = default;
        var afterWordChar = start > 0 && IsWordChar(text[start - 1]);
        var isGlobalStep = afterWordChar && text[start - 1] == '_' && start >= Global.Length && Ascii.EqualsIgnoreCase(text.Slice(start - Global.Length, Global.Length), Global);
        if (afterWordChar && !isGlobalStep)
            return false;
        var rest = text[start..];
        var isStep = IsKeyword(rest, "step");
        // timm: "Train: 3 [ 100/1251 (  8%)]", an epoch only with its batch after it.
        var isTimm = !isStep && rest.StartsWith("Train: ", StringComparison.Ordinal);
        var isEpoch = isTimm || (!isStep && IsKeyword(rest, "epoch"));
        var length = isStep ? 4 : isTimm ? 5 : isEpoch ? 5 : IsKeyword(rest, "iteration") ? 9 : IsKeyword(rest, "iter") ? 4 : 0;
        if (length == 0 || (isGlobalStep && !isStep))
            return false;
        var pos = start + length;
        if (isGlobalStep)
            start -= Global.Length;
        var mode = ReadMode(text, ref pos);
        if (pos < text.Length && IsWordChar(text[pos]))
            return false;
        SkipSeparators(text, ref pos);
        if (!TryReadNumber(text, ref pos, out var step))
            return false;
        var total = ReadTotal(text, ref pos);
        if (!IsBoundary(text, pos))
            return false;
        marker = new StepMarker(start, pos, step, total, isEpoch, mode);
        if (isEpoch && TryReadBatch(text, ref pos, out var batch, out var batches))
            marker = new StepMarker(start, pos, batch, batches, false, mode, step, total);
        return !isTimm || marker.Epoch is not null;
    }

    /// <summary>mmengine's "(train)", "(val)", "(test)" right after the keyword.</summary>
    private static MarkerMode ReadMode(ReadOnlySpan<char> text, ref int pos)
    {
        if (pos >= text.Length || text[pos] != '(')
            return MarkerMode.Train;
        var rest = text[(pos + 1)..];
        if (rest.StartsWith("train)", StringComparison.OrdinalIgnoreCase))
        {
            pos += 7;
            return MarkerMode.Train;
        }
        if (rest.StartsWith("val)", StringComparison.OrdinalIgnoreCase))
        {
            pos += 5;
            return MarkerMode.Val;
        }
        if (rest.StartsWith("test)", StringComparison.OrdinalIgnoreCase))
        {
            pos += 6;
            return MarkerMode.Test;
        }
        return MarkerMode.Train;
    }

    private static void SkipSeparators(ReadOnlySpan<char> text, ref int pos)
    {
        for (var separators = 0; separators < MaxSeparators && pos < text.Length && text[pos] is ' ' or '\t' or ':' or '=' or '[' or ']' or '(' or '#'; separators++)
            pos++;
    }

    /// <summary>"[1][ 50/500]" (mmengine, ImageNet example): the batch within the epoch just read, with the batch count.</summary>
    private static bool TryReadBatch(ReadOnlySpan<char> text, ref int pos, out long batch, out long? batches)
    {
        batch = 0;
        batches = null;
        var probe = pos;
        if (probe < text.Length && text[probe] == ']')
            probe++;
        while (probe < text.Length && text[probe] == ' ')
            probe++;
        if (probe >= text.Length || text[probe] != '[')
            return false;
        probe++;
        while (probe < text.Length && text[probe] == ' ')
            probe++;
        if (!TryReadNumber(text, ref probe, out batch) || ReadTotal(text, ref probe) is not { } count)
            return false;
        while (probe < text.Length && text[probe] == ' ')
            probe++;
        SkipPercent(text, ref probe);
        if (probe >= text.Length || text[probe] != ']')
            return false;
        batches = count;
        pos = probe + 1;
        return true;
    }

    /// <summary>timm's "(  8%)" inside the batch brackets.</summary>
    private static void SkipPercent(ReadOnlySpan<char> text, ref int pos)
    {
        if (pos >= text.Length || text[pos] != '(')
            return;
        var close = text[pos..].IndexOf(')');
        if (close is > 1 and < 12 && text[pos + close - 1] == '%')
        {
            pos += close + 1;
            while (pos < text.Length && text[pos] == ' ')
                pos++;
        }
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
