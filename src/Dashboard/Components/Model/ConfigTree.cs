using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Components.Model;

/// <summary>
/// One entry of a run's configuration: a leaf (Value set) or a branch (Children set, from an
/// object or an array). Values are plain text; the page encodes them like any other text.
/// </summary>
public sealed record ConfigEntry(string Key, string? Value, string Kind, IReadOnlyList<ConfigEntry> Children)
{
    public bool IsBranch => Value is null;

    /// <summary>"{3}" for an object of three keys, "[5]" for an array of five items.</summary>
    public string Summary => Kind == "array" ? $"[{Children.Count}]" : $"{{{Children.Count}}}";
}

/// <summary>Turns the logged configuration (a JSON object of any depth) into entries to render.</summary>
public static class ConfigTree
{
    /// <summary>Deeper levels are shown as compact JSON rather than nested further.</summary>
    public const int MaxDepth = 24;

    /// <summary>Arrays of this many scalars or fewer are shown inline, e.g. [512, 512].</summary>
    public const int InlineArrayMax = 8;

    public static IReadOnlyList<ConfigEntry> Build(JsonObject? config) =>
        config is null ? [] : config.Select(p => Entry(p.Key, p.Value, 0)).ToList();

    public static int CountLeaves(IReadOnlyList<ConfigEntry> entries) =>
        entries.Sum(e => e.IsBranch ? CountLeaves(e.Children) : 1);

    private static ConfigEntry Entry(string key, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                return new ConfigEntry(key, "null", "null", []);
            case JsonObject obj when depth < MaxDepth:
                return new ConfigEntry(key, null, "object", obj.Select(p => Entry(p.Key, p.Value, depth + 1)).ToList());
            case JsonArray arr when depth < MaxDepth:
                if (arr.Count <= InlineArrayMax && arr.All(n => n is null or JsonValue))
                {
                    return new ConfigEntry(key, "[" + string.Join(", ", arr.Select(Scalar)) + "]", "array-inline", []);
                }

                return new ConfigEntry(key, null, "array", arr.Select((n, i) => Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), n, depth + 1)).ToList());
            case JsonValue value:
                return new ConfigEntry(key, Scalar(value), KindOf(value), []);
            default:
                return new ConfigEntry(key, node.ToJsonString(), "json", []);
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string KindOf(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "null",
        _ => "json",
    };
}
