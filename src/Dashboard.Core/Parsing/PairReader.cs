using System.Buffers;
using System.Text;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Reads <c>key: value</c> / <c>key=value</c> pairs separated by '|', ',', ';' or whitespace. A pair
/// whose value is not a number is skipped; nan and ±inf (any case) are numbers.
/// </summary>
internal ref struct PairReader(ReadOnlySpan<char> text)
{
    public const int MaxKeyLength = 200;

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
            if (IsValidKey(key) && TryParseValue(_text.Slice(valueStart, valueLength), out value))
            {
                _pos = valueStart + valueLength;
                return true;
            }
            _pos = delimiter + 1;
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
        while (start > 0 && segment[start - 1] is not ('|' or ',' or ';') && !(isEquals && segment[start - 1] is ' ' or '\t'))
            start--;
        // A leading "- " is a separator too: "epoch 7 - loss: 0.5 - acc: 0.25".
        while (start < end && segment[start] is ' ' or '\t' or '{' or '[' or '(' or '\'' or '"' or '`' or '-')
            start++;
        return segment[start..end];
    }

    private static bool IsValidKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > MaxKeyLength)
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
            return DecimalParser.TryParse(token, out value);
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
