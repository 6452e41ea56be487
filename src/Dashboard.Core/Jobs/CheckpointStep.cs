using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Jobs;

/// <summary>What a checkpoint's file name tells: the training step, and whether it is the best model so far.</summary>
public sealed record CheckpointName(long? Step, bool IsBest);

/// <summary>
/// The step of a checkpoint from its file name. A name that says what its number is
/// (<c>step_1500</c>, <c>iter_5000</c>) gives the step; a bare number (<c>checkpoint_5000.pth</c>,
/// <c>model-7.pt</c>) is the step, unless the run's configuration has a save interval the number is not a
/// multiple of: then it counts saves (<c>model-7.pt</c> with <c>save_interval: 500</c> is step 3500).
/// </summary>
public static partial class CheckpointStep
{
    private static readonly string[] IntervalKeys =
        ["save_interval", "checkpoint_interval", "ckpt_interval", "save_every", "save_freq", "save_steps", "save_iter", "checkpoint_every", "save_every_n_steps"];

    public static CheckpointName Infer(string fileName, long? saveInterval)
    {
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName(fileName));
        var isBest = BestName().IsMatch(stem);
        if (ShardSuffix().IsMatch(stem))
            return new CheckpointName(null, isBest);
        var named = NamedStep().Match(stem);
        if (named.Success && long.TryParse(named.Groups["n"].ValueSpan, out var step))
            return new CheckpointName(step, isBest);
        var trailing = TrailingNumber().Match(stem);
        if (!trailing.Success || !long.TryParse(trailing.Groups["n"].ValueSpan, out var number))
            return new CheckpointName(null, isBest);
        var counted = saveInterval is > 1 && number % saveInterval.Value != 0;
        return new CheckpointName(counted ? number * saveInterval!.Value : number, isBest);
    }

    /// <summary>The first positive integer under a save-interval key anywhere in a run's configuration, or null.</summary>
    public static long? SaveInterval(JsonNode? config)
    {
        switch (config)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (IntervalKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<double>(out var d) && d >= 1 && d == Math.Floor(d))
                        return (long)d;
                }
                foreach (var (_, value) in obj)
                {
                    if (SaveInterval(value) is { } nested)
                        return nested;
                }
                return null;
            case JsonArray array:
                return array.Select(SaveInterval).FirstOrDefault(i => i is not null);
            default:
                return null;
        }
    }

    [GeneratedRegex(@"(?:^|[^a-z])(?:global_step|step|steps|iter|iteration|it)[=_\-]?(?<n>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex NamedStep();

    [GeneratedRegex(@"(?:^|[_\-=])(?<n>\d+)$")]
    private static partial Regex TrailingNumber();

    [GeneratedRegex(@"\d+-of-\d+$", RegexOptions.IgnoreCase)]
    private static partial Regex ShardSuffix();

    [GeneratedRegex(@"(?:^|[_\-.])best(?:$|[_\-.])", RegexOptions.IgnoreCase)]
    private static partial Regex BestName();
}
