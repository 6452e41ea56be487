using System.Buffers;
using System.Text;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Reads <c>key: value</c> / <c>key=value</c> pairs separated by '|', ',', ';' or whitespace. A pair
/// whose value is not a number is skipped; nan and ±inf (any case) are numbers. Not metrics: the
/// keys <c>eta</c> (a duration, <c>1 day, 2:03:04</c>) and <c>v_num</c> (Lightning's run version), and
/// values with a unit other than a memory size (<c>0.45s</c>, <c>45%</c>, <c>5.37it/s</c>, <c>12:03:04</c>).
/// A memory size keeps its number as printed under its own key (<c>max_mem: 5432M</c> → 5432): the
/// unit is the key's, as the tool chose it. A running average after the value
/// (<c>Loss: 6.912 (6.93)</c>, AverageMeter style) is skipped: the value is the current one.
/// </summary>
internal ref struct PairReader(ReadOnlySpan<char> text)
{
    private const int MaxAverageChars = 32;

    private static readonly SearchValues<char> Delimiters = SearchValues.Create(":=");
    private static readonly SearchValues<char> ValueEnds = SearchValues.Create(" \t,|;)]}");

    private readonly ReadOnlySpan<char> _text = text;
    private int _pos;

    public bool TryRead(out ReadOnlySpan<char> key, out double value)
    {
        while (_pos < _text.Length)
        {
            var found = _text[_pos..].IndexOfAny(Delimiters);
            if (found < 0)
                break;
            var delimiter = _pos + found;
            var valueStart = delimiter + 1;
            while (valueStart < _text.Length && _text[valueStart] is ' ' or '\t')
                valueStart++;
            var valueLength = _text[valueStart..].IndexOfAny(ValueEnds);
            if (valueLength < 0)
                valueLength = _text.Length - valueStart;
            key = Key(_text[_pos..delimiter], _text[delimiter] == '=');
            if (IsValidKey(key) && TryParseValue(_text.Slice(valueStart, valueLength), out value) && TryEndValue(_text, valueStart + valueLength, out var end))
            {
                _pos = end;
                return true;
            }
            // The value that was no number ("0:12:34", "train", "0.45s") must not become part of the next key.
            _pos = IsSpentValue(_text.Slice(valueStart, valueLength)) ? valueStart + valueLength : delimiter + 1;
        }
        _pos = _text.Length;
        key = default;
        value = 0;
        return false;
    }

    /// <summary>
    /// The key is what follows the last separator; with '=' only the last word, since
    /// "key=value" lists are whitespace-separated while "Training mIoU: 0.35" has a space in its key.
    /// Scanned by hand, backwards from the delimiter: this runs for every pair of every line.
    /// </summary>
    private static ReadOnlySpan<char> Key(ReadOnlySpan<char> segment, bool isEquals)
    {
        var end = segment.Length;
        while (end > 0 && segment[end - 1] is ' ' or '\t' or '\'' or '"' or '`')
            end--;
        var start = end;
        while (start > 0)
        {
            var c = segment[start - 1];
            if (c is '|' or ',' or ';')
                break;
            if (c is ' ' or '\t' ? isEquals : c is ')' or ']' or '-' && (IsClosedItem(segment, start - 1) || IsDashSeparator(segment, start - 1)))
                break;
            start--;
        }
        // A leading "- " is a separator too: "epoch 7 - loss: 0.5 - acc: 0.25".
        while (start < end && segment[start] is ' ' or '\t' or '{' or '[' or '(' or '\'' or '"' or '`' or '-')
            start++;
        return segment[start..end];
    }

    /// <summary>" - " between items, as Keras and Python's logging formats write it: "5s 2ms/step - loss: 0.29".</summary>
    private static bool IsDashSeparator(ReadOnlySpan<char> segment, int at) =>
        segment[at] == '-' && at > 0 && segment[at - 1] == ' ' && at + 1 < segment.Length && segment[at + 1] == ' ';

    /// <summary>A ')' or ']' with whitespace after it closes an earlier item ("(3.05s, 335/s)  LR"); "Acc (top1)" keeps its own.</summary>
    private static bool IsClosedItem(ReadOnlySpan<char> segment, int at) =>
        segment[at] is ')' or ']' && at + 1 < segment.Length && segment[at + 1] is ' ' or '\t';

    /// <summary>
    /// Where the pair ends, past a running average (" (6.93)"); false when a unit after the value makes it
    /// a rate or a duration ("speed: 12.3 samples/s", "took: 3.2 s").
    /// </summary>
    private static bool TryEndValue(ReadOnlySpan<char> text, int valueEnd, out int end)
    {
        end = valueEnd;
        var next = valueEnd;
        while (next < text.Length && text[next] is ' ' or '\t')
            next++;
        if (next >= text.Length)
            return true;
        var c = text[next];
        if (c == '(')
        {
            end = SkipRunningAverage(text, next, valueEnd);
            return true;
        }
        if (!char.IsAsciiLetter(c) && c != '%')
            return true;
        var length = text[next..].IndexOfAny(ValueEnds);
        return !SpacePairReader.IsUnit(length < 0 ? text[next..] : text.Slice(next, length));
    }

    /// <summary>A word or a number that did not parse; "loss:" or "loss=0.5" after an empty value is the next pair.</summary>
    private static bool IsSpentValue(ReadOnlySpan<char> token) =>
        !token.IsEmpty && (char.IsAsciiDigit(token[0]) || token.IndexOfAny(Delimiters) < 0);

    /// <summary>" (6.93)" after a value: the running average AverageMeter prints beside the current value.</summary>
    private static int SkipRunningAverage(ReadOnlySpan<char> text, int probe, int pos)
    {
        var close = text[probe..].IndexOf(')');
        if (close < 2 || close > MaxAverageChars)
            return pos;
        var inside = text.Slice(probe + 1, close - 1).Trim(' ');
        return DecimalParser.TryParse(inside, out _) || MemorySize.TryParse(inside, out _) ? probe + close + 1 : pos;
    }

    /// <summary>Keys whose numbers are no metric: eta is a duration ("1 day, 2:03:04" reads as 1), v_num a run's version.</summary>
    private static bool IsExcludedKey(ReadOnlySpan<char> key) =>
        (key.Length == 3 && Ascii.EqualsIgnoreCase(key, "eta")) || (key.Length == 5 && Ascii.EqualsIgnoreCase(key, "v_num"));

    private static bool IsValidKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || IsExcludedKey(key))
            return false;
        foreach (var c in key)
        {
            if (char.IsLetter(c))
                return true;
        }
        return false;
    }

    private static bool TryParseValue(ReadOnlySpan<char> token, out double value)
    {
        var body = token.Length > 0 && token[0] is '+' or '-' ? token[1..] : token;
        if (body.IsEmpty)
        {
            value = 0;
            return false;
        }
        // Digits go straight to the number parser: it also keeps double.TryParse away from symbols such as "∞".
        if (char.IsAsciiDigit(body[0]) || body[0] == '.')
            return DecimalParser.TryParse(token, out value) || MemorySize.TryParse(token, out value);
        if (Ascii.EqualsIgnoreCase(body, "nan"))
        {
            value = double.NaN;
            return true;
        }
        var isInfinity = Ascii.EqualsIgnoreCase(body, "inf") || Ascii.EqualsIgnoreCase(body, "infinity");
        value = !isInfinity ? 0 : token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        return isInfinity;
    }
}
