using System.Text.Json.Nodes;

namespace Dashboard.Core.Parsing;

/// <summary>The run's length as its configuration states it, wherever in the tree it is.</summary>
internal static class ConfigTotalSteps
{
    // Most specific first: "num_steps" is as often a sampler's step count as the run's length.
    private static readonly string[] Keys =
        ["train_num_steps", "total_steps", "max_steps", "total_iters", "max_iters", "max_iter", "num_iterations", "num_steps"];

    public static long? Find(JsonObject config)
    {
        foreach (var key in Keys)
        {
            if (Find(config, key) is { } steps)
                return steps;
        }
        return null;
    }

    private static long? Find(JsonNode? node, string key)
    {
        IEnumerable<JsonNode?> children;
        switch (node)
        {
            case JsonObject obj:
                // Detectron2's config.yaml spells it SOLVER: MAX_ITER.
                foreach (var (name, value) in obj)
                {
                    if (name.Equals(key, StringComparison.OrdinalIgnoreCase) && PositiveInteger(value) is { } steps)
                        return steps;
                }
                children = obj.Select(p => p.Value);
                break;
            case JsonArray array:
                children = array;
                break;
            default:
                return null;
        }
        foreach (var child in children)
        {
            if (Find(child, key) is { } found)
                return found;
        }
        return null;
    }

    /// <summary>Python prints 150000 for an int and 150000.0 for a float; both say the same length.</summary>
    private static long? PositiveInteger(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n > 0 ? n : null,
        JsonValue v when v.TryGetValue<double>(out var d) => d is > 0 and < 1e15 && d == Math.Floor(d) ? (long)d : null,
        _ => null,
    };
}
