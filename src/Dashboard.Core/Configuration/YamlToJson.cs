using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Core.Configuration;

/// <summary>
/// A YAML document as a JSON tree: mappings become objects (non-scalar keys as their text), sequences
/// arrays, plain scalars null/bool/integer/number/string by the YAML 1.2 core schema (also "True"/
/// "False" as PyYAML writes them), quoted scalars strings; .nan/.inf become the strings
/// "NaN"/"Infinity"/"-Infinity" as in <see cref="Parsing.PythonLiteral"/>. Tags (<c>!!python/tuple</c>,
/// <c>!!python/object:argparse.Namespace</c>) are read as the node beneath them, never instantiated.
/// Aliases are expanded, within a node budget, so "billion laughs" input stops instead of exhausting memory.
/// </summary>
internal static class YamlToJson
{
    private const int MaxDepth = 64;
    private const int MaxNodes = 200_000;

    public static JsonObject? TryConvert(string yaml)
    {
        if (!IsShallow(yaml))
            return null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                return null;
            var budget = MaxNodes;
            return Convert(root, 1, ref budget) as JsonObject;
        }
        catch (YamlException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (BudgetExceededException)
        {
            return null;
        }
    }

    /// <summary>
    /// YamlDotNet recurses per nesting level while loading, and a stack overflow cannot be caught: text
    /// nested deeper than any configuration (by indentation, "- - -" or brackets) is refused unread.
    /// </summary>
    private static bool IsShallow(string yaml)
    {
        const int maxIndent = 256;
        var flowDepth = 0;
        var lineStart = true;
        var indent = 0;
        foreach (var c in yaml)
        {
            if (c is '\n' or '\r')
            {
                (lineStart, indent) = (true, 0);
                continue;
            }
            if (lineStart && c is ' ' or '\t' or '-' or '?' or ':')
            {
                if (++indent > maxIndent)
                    return false;
                continue;
            }
            lineStart = false;
            if (c is '[' or '{' && ++flowDepth > MaxDepth)
                return false;
            if (c is ']' or '}' && flowDepth > 0)
                flowDepth--;
        }
        return true;
    }

    private static JsonNode? Convert(YamlNode node, int depth, ref int budget)
    {
        if (depth > MaxDepth || --budget < 0)
            throw new BudgetExceededException();
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                    obj[KeyText(key)] = Convert(value, depth + 1, ref budget);
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                    array.Add(Convert(item, depth + 1, ref budget));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static string KeyText(YamlNode key) => key switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        _ => key.ToString(),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
            case ".nan" or ".NaN" or ".NAN":
                return JsonValue.Create("NaN");
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return JsonValue.Create("Infinity");
            case "-.inf" or "-.Inf" or "-.INF":
                return JsonValue.Create("-Infinity");
        }
        if (IsNumberText(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                return JsonValue.Create(integer);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                return JsonValue.Create(number);
        }
        return JsonValue.Create(text);
    }

    /// <summary>Digits, a sign, '.', an exponent: "1e-4", "3.0", "-2" (not "1_000", "0x1F", "12:30").</summary>
    private static bool IsNumberText(string text) =>
        text.AsSpan().IndexOfAnyExcept("0123456789.eE+-") < 0 && text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;

    private sealed class BudgetExceededException : Exception;
}
