using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Parsing;

namespace Dashboard.Core.Configuration;

/// <summary>
/// The configuration files a run leaves beside its log: <c>config.yaml</c>, Lightning's
/// <c>hparams.yaml</c>, any <c>*.yaml</c>/<c>*.yml</c>, <c>args.json</c>, <c>config.json</c>. Pure: the host reads
/// the files and hands over names and contents; nothing here touches the disk, and nothing throws.
/// </summary>
public static class RunConfigFiles
{
    /// <summary>Larger files are datasets or dumps, not a run's configuration.</summary>
    public const int MaxContentChars = 4 * 1024 * 1024;

    private static readonly string[] PreferredNames = ["config.yaml", "config.yml", "hparams.yaml", "hparams.yml", "args.json", "config.json"];

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    /// <summary>Whether a file of this name (a path is fine) is a run configuration this class reads.</summary>
    public static bool IsConfigFileName(string? fileName)
    {
        var name = Path.GetFileName(fileName);
        if (string.IsNullOrEmpty(name))
            return false;
        return IsYaml(name) || name.Equals("args.json", StringComparison.OrdinalIgnoreCase) || name.Equals("config.json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One file's configuration as a nested object, or null when it is no config file or not a mapping.</summary>
    public static JsonObject? Parse(string? fileName, string? content)
    {
        if (!IsConfigFileName(fileName) || content is null || content.Length > MaxContentChars)
            return null;
        content = content.TrimStart('\uFEFF');
        return IsYaml(Path.GetFileName(fileName)!) ? YamlToJson.TryConvert(content) : ParseJson(content);
    }

    /// <summary>
    /// The run's configuration from the files found beside its log: one entry per file that parsed, under
    /// its file name, in a fixed order (config.yaml, config.yml, hparams.yaml, hparams.yml, args.json,
    /// config.json, then other YAML files by name) whatever order they came in. Null when none parsed.
    /// </summary>
    public static JsonObject? Combine(IEnumerable<KeyValuePair<string, string>>? files)
    {
        if (files is null)
            return null;
        var parsed = new List<(string Name, JsonObject Config)>();
        foreach (var (fileName, content) in files)
        {
            var name = Path.GetFileName(fileName);
            if (string.IsNullOrEmpty(name) || parsed.Any(p => p.Name.Equals(name, StringComparison.Ordinal)))
                continue;
            if (Parse(name, content) is { } config)
                parsed.Add((name, config));
        }
        if (parsed.Count == 0)
            return null;
        var result = new JsonObject();
        foreach (var (name, config) in parsed.OrderBy(p => Rank(p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal))
            result[name] = config;
        return result;
    }

    /// <summary>
    /// A run's configuration after an update: the update's top-level entries replace those of the same
    /// name and the others stay, so a dict the log printed and the files beside it (entries named after
    /// the files) live side by side, whichever arrives first.
    /// </summary>
    public static JsonObject Merge(JsonObject? current, JsonObject update)
    {
        var merged = current?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (key, value) in update)
            merged[key] = value?.DeepClone();
        return merged;
    }

    /// <summary>The run's length as its configuration states it (max_iters, max_steps, SOLVER.MAX_ITER, …), if it does.</summary>
    public static long? TotalSteps(JsonObject? config) => config is null ? null : ConfigTotalSteps.Find(config);

    private static int Rank(string name)
    {
        var index = Array.FindIndex(PreferredNames, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? PreferredNames.Length : index;
    }

    private static bool IsYaml(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static JsonObject? ParseJson(string content)
    {
        try
        {
            return JsonNode.Parse(content, documentOptions: JsonOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
