using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Reads what Python prints for a value (<c>print(dict)</c>, <c>str(dict)</c>), which is not JSON:
/// single quotes, True/None, tuples, nan. Dict keys become strings (non-string keys as their source
/// text), tuples and sets become arrays, nan/inf become the strings "NaN"/"Infinity"/"-Infinity"
/// (a JsonNode cannot hold them), and reprs that are no literal (<c>PosixPath('/x')</c>,
/// <c>&lt;object at 0x..&gt;</c>) are kept as their source text.
/// </summary>
public static class PythonLiteral
{
    // System.Text.Json writes at most 64 levels by default; deeper input would parse but not serialize.
    private const int MaxDepth = 64;

    /// <summary>Parses one literal; <c>None</c> gives null. Throws <see cref="FormatException"/> on anything else.</summary>
    public static JsonNode? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var node) ? node : throw new FormatException("Not a Python literal.");
    }

    /// <summary>True when the whole text is one dict literal; never throws.</summary>
    public static bool TryParseDict(string? text, [NotNullWhen(true)] out JsonObject? obj)
    {
        obj = null;
        if (text is null || !TryParse(text, out var node) || node is not JsonObject dict)
            return false;
        obj = dict;
        return true;
    }

    private static bool TryParse(string text, out JsonNode? node)
    {
        var pos = 0;
        if (!TryReadValue(text, ref pos, 1, out node))
            return false;
        SkipWhitespace(text, ref pos);
        return pos == text.Length;
    }

    private static bool TryReadValue(string s, ref int pos, int depth, out JsonNode? node)
    {
        node = null;
        SkipWhitespace(s, ref pos);
        if (pos >= s.Length)
            return false;
        return s[pos] switch
        {
            '{' => depth <= MaxDepth && TryReadBraces(s, ref pos, depth, out node),
            '[' => depth <= MaxDepth && TryReadSequence(s, ref pos, ']', depth, out node),
            '(' => depth <= MaxDepth && TryReadSequence(s, ref pos, ')', depth, out node),
            _ when StringPrefixLength(s, pos) is var prefix and >= 0 => TryReadString(s, ref pos, prefix, out node),
            _ => TryReadBareToken(s, ref pos, out node),
        };
    }

    /// <summary>A dict, or a set when the first item has no ':' after it.</summary>
    private static bool TryReadBraces(string s, ref int pos, int depth, out JsonNode? node)
    {
        node = null;
        pos++;
        SkipWhitespace(s, ref pos);
        var dict = new JsonObject();
        if (pos < s.Length && s[pos] == '}')
        {
            pos++;
            node = dict;
            return true;
        }
        var keyStart = pos;
        if (!TryReadValue(s, ref pos, depth + 1, out var first))
            return false;
        SkipWhitespace(s, ref pos);
        if (pos < s.Length && s[pos] != ':')
            return TryReadSequenceRest(s, ref pos, '}', depth, new JsonArray(first), out node);
        while (true)
        {
            if (pos >= s.Length || s[pos] != ':')
                return false;
            var key = KeyText(s, keyStart, pos, first);
            pos++;
            if (!TryReadValue(s, ref pos, depth + 1, out var value))
                return false;
            dict[key] = value;
            if (!TryReadSeparator(s, ref pos, '}', out var closed))
                return false;
            if (closed)
            {
                node = dict;
                return true;
            }
            keyStart = pos;
            if (!TryReadValue(s, ref pos, depth + 1, out first))
                return false;
            SkipWhitespace(s, ref pos);
        }
    }

    /// <summary>A string key as its value; any other key (1, True, (1, 2)) as its source text.</summary>
    private static string KeyText(string s, int start, int end, JsonNode? key) =>
        StringPrefixLength(s, start) >= 0 && key is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : s.AsSpan(start, end - start).Trim().ToString();

    private static bool TryReadSequence(string s, ref int pos, char close, int depth, out JsonNode? node)
    {
        node = null;
        pos++;
        SkipWhitespace(s, ref pos);
        var array = new JsonArray();
        if (pos < s.Length && s[pos] == close)
        {
            pos++;
            node = array;
            return true;
        }
        if (!TryReadValue(s, ref pos, depth + 1, out var first))
            return false;
        array.Add(first);
        return TryReadSequenceRest(s, ref pos, close, depth, array, out node);
    }

    private static bool TryReadSequenceRest(string s, ref int pos, char close, int depth, JsonArray array, out JsonNode? node)
    {
        node = null;
        while (true)
        {
            if (!TryReadSeparator(s, ref pos, close, out var closed))
                return false;
            if (closed)
            {
                node = array;
                return true;
            }
            if (!TryReadValue(s, ref pos, depth + 1, out var item))
                return false;
            array.Add(item);
        }
    }

    /// <summary>After an item: ',' then more (or a trailing ',' then the closer), or the closer.</summary>
    private static bool TryReadSeparator(string s, ref int pos, char close, out bool closed)
    {
        closed = false;
        SkipWhitespace(s, ref pos);
        if (pos >= s.Length)
            return false;
        if (s[pos] == close)
        {
            pos++;
            closed = true;
            return true;
        }
        if (s[pos] != ',')
            return false;
        pos++;
        SkipWhitespace(s, ref pos);
        if (pos < s.Length && s[pos] == close)
        {
            pos++;
            closed = true;
        }
        return true;
    }

    /// <summary>Length of a string prefix (b, r, u, rb...) before a quote at pos, or -1 when no string starts there.</summary>
    private static int StringPrefixLength(string s, int pos)
    {
        for (var i = pos; i < s.Length && i - pos <= 2; i++)
        {
            var c = s[i];
            if (c is '\'' or '"')
                return i - pos;
            if (c is not ('b' or 'B' or 'r' or 'R' or 'u' or 'U' or 'f' or 'F'))
                return -1;
        }
        return -1;
    }

    private static bool TryReadString(string s, ref int pos, int prefixLength, out JsonNode? node)
    {
        node = null;
        var raw = s.AsSpan(pos, prefixLength).ContainsAny('r', 'R');
        pos += prefixLength;
        var quote = s[pos++];
        var text = new StringBuilder();
        while (pos < s.Length)
        {
            var c = s[pos++];
            if (c == quote)
            {
                node = JsonValue.Create(text.ToString());
                return true;
            }
            if (c != '\\' || raw || pos >= s.Length)
            {
                text.Append(c);
                continue;
            }
            pos = AppendEscape(s, pos, text);
        }
        return false;
    }

    /// <summary>Appends the character an escape stands for (pos is just after the backslash); returns the position after it.</summary>
    private static int AppendEscape(string s, int pos, StringBuilder text)
    {
        var c = s[pos++];
        switch (c)
        {
            case 'n': text.Append('\n'); return pos;
            case 'r': text.Append('\r'); return pos;
            case 't': text.Append('\t'); return pos;
            case 'a': text.Append('\a'); return pos;
            case 'b': text.Append('\b'); return pos;
            case 'f': text.Append('\f'); return pos;
            case 'v': text.Append('\v'); return pos;
            case '\\' or '\'' or '"': text.Append(c); return pos;
            case '\n': return pos;
            case 'x': return AppendCodePoint(s, pos, 2, text);
            case 'u': return AppendCodePoint(s, pos, 4, text);
            case 'U': return AppendCodePoint(s, pos, 8, text);
        }
        if (c is >= '0' and <= '7')
        {
            var value = c - '0';
            for (var n = 0; n < 2 && pos < s.Length && s[pos] is >= '0' and <= '7'; n++)
                value = (value * 8) + (s[pos++] - '0');
            text.Append((char)value);
            return pos;
        }
        // Python keeps an unknown escape as written.
        text.Append('\\').Append(c);
        return pos;
    }

    private static int AppendCodePoint(string s, int pos, int digits, StringBuilder text)
    {
        if (pos + digits > s.Length
            || !int.TryParse(s.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            text.Append('\\').Append(s[pos - 1]);
            return pos;
        }
        // A lone surrogate or a value beyond Unicode cannot be serialized later.
        text.Append(Rune.TryCreate(value, out var rune) ? rune.ToString() : "\uFFFD");
        return pos + digits;
    }

    /// <summary>Numbers, True/False/None, nan/inf, or any other repr kept as its source text.</summary>
    private static bool TryReadBareToken(string s, ref int pos, out JsonNode? node)
    {
        node = null;
        var start = pos;
        pos = BareTokenEnd(s, pos);
        var token = s.AsSpan(start, pos - start).Trim();
        if (token.IsEmpty)
            return false;
        node = token switch
        {
            "True" => JsonValue.Create(true),
            "False" => JsonValue.Create(false),
            "None" => null,
            "nan" or "-nan" or "+nan" => JsonValue.Create("NaN"),
            "inf" or "+inf" => JsonValue.Create("Infinity"),
            "-inf" => JsonValue.Create("-Infinity"),
            _ when long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when IsNumber(token) && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Number(number),
            _ => JsonValue.Create(token.ToString()),
        };
        return true;
    }

    /// <summary>Digits, signs, '.' and exponents only: double.TryParse alone would also take "Infinity" and "∞".</summary>
    private static bool IsNumber(ReadOnlySpan<char> token) =>
        !token.ContainsAnyExcept("0123456789.eE+-") && token.ContainsAnyInRange('0', '9');

    /// <summary>A literal too large for a double (1e999) is infinite to Python too.</summary>
    private static JsonValue Number(double value) => value switch
    {
        double.PositiveInfinity => JsonValue.Create("Infinity"),
        double.NegativeInfinity => JsonValue.Create("-Infinity"),
        _ => JsonValue.Create(value),
    };

    /// <summary>
    /// Where a bare token ends: at ',' ':' or a closer outside any brackets of its own, so
    /// <c>PosixPath('/a,b')</c> and <c>&lt;function f at 0x1&gt;</c> stay whole.
    /// </summary>
    private static int BareTokenEnd(string s, int pos)
    {
        var depth = 0;
        for (; pos < s.Length; pos++)
        {
            var c = s[pos];
            switch (c)
            {
                case '\'' or '"':
                    var close = s.IndexOf(c, pos + 1);
                    if (close < 0)
                        return s.Length;
                    pos = close;
                    break;
                case '(' or '[' or '{' or '<':
                    depth++;
                    break;
                case '>':
                    if (depth > 0)
                        depth--;
                    break;
                case ')' or ']' or '}':
                    if (depth == 0)
                        return pos;
                    depth--;
                    break;
                case ',' or ':':
                    if (depth == 0)
                        return pos;
                    break;
            }
        }
        return pos;
    }

    private static void SkipWhitespace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
            pos++;
    }
}
