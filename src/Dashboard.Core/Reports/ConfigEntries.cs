using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Reports;

/// <summary>The logged configuration as flat key/value pairs, and what the report reads from it.</summary>
public static class ConfigEntries
{
    private static readonly string[] BatchSizeNames = ["batch_size", "train_batch_size", "per_device_train_batch_size", "batchsize", "batch", "bs"];
    private static readonly string[] LearningRateNames = ["lr", "learning_rate", "base_lr", "train_lr", "learningrate"];

    public static IReadOnlyList<ConfigEntry> Flatten(JsonObject? config)
    {
        var entries = new List<ConfigEntry>();
        if (config is not null)
            Walk(config, "", entries);
        return entries;
    }

    /// <summary>The batch size, from the shallowest key that names one with a positive integer.</summary>
    public static (long Size, string Key)? BatchSize(IReadOnlyList<ConfigEntry> config) =>
        FirstByName(config, BatchSizeNames) is { } found && long.TryParse(found.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0
            ? (size, found.Key)
            : null;

    public static (double Value, string Key)? LearningRate(IReadOnlyList<ConfigEntry> config) =>
        FirstByName(config, LearningRateNames) is { } found && double.TryParse(found.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) && lr > 0
            ? (lr, found.Key)
            : null;

    private static ConfigEntry? FirstByName(IReadOnlyList<ConfigEntry> config, string[] names) =>
        config
            .Where(e => names.Contains(Leaf(e.Key), StringComparer.OrdinalIgnoreCase))
            .OrderBy(e => e.Key.Count(c => c == '.'))
            .ThenBy(e => Array.FindIndex(names, n => n.Equals(Leaf(e.Key), StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault();

    private static string Leaf(string key) => key[(key.LastIndexOf('.') + 1)..];

    private static void Walk(JsonNode? node, string path, List<ConfigEntry> entries)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                    Walk(child, path.Length == 0 ? name : $"{path}.{name}", entries);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                entries.Add(new ConfigEntry(path, value.GetValue<string>()));
                break;
            default:
                entries.Add(new ConfigEntry(path, node?.ToJsonString() ?? "null"));
                break;
        }
    }
}
