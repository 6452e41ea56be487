using System.Text.RegularExpressions;
using Dashboard.Core.Metrics;

namespace Dashboard.Core.Reports;

/// <summary>
/// What a metric key measures: its family (losses, metrics, learning rate, counts, other), whether
/// lower or higher is better, and whether it is an evaluation (validation/eval/test) series.
/// </summary>
public static partial class MetricKinds
{
    public const string Losses = "losses";
    public const string Metrics = "metrics";
    public const string LearningRate = "lr";
    public const string Count = "count";
    public const string Other = "other";

    public const string LowerIsBetter = "lower";
    public const string HigherIsBetter = "higher";
    public const string Unknown = "unknown";

    private static readonly HashSet<string> HigherTokens = new(StringComparer.Ordinal)
    {
        "miou", "iou", "acc", "accuracy", "f1", "f1score", "psnr", "ssim", "precision", "recall", "dice", "auc",
        "ap", "map", "ap50", "ap75", "top1", "top5", "bleu", "rouge", "pixacc", "fwiou",
    };

    private static readonly HashSet<string> LowerTokens = new(StringComparer.Ordinal)
    {
        "loss", "error", "err", "fid", "lpips", "mae", "mse", "rmse", "perplexity", "ppl", "kid", "wer", "cer",
    };

    public static string Family(string key)
    {
        var lower = key.ToLowerInvariant();
        if (lower.Contains("loss", StringComparison.Ordinal)) return Losses;
        var tokens = Tokens(lower);
        if (tokens.Contains("lr") || lower.Contains("learning_rate", StringComparison.Ordinal) || lower.Contains("learning rate", StringComparison.Ordinal))
            return LearningRate;
        if (lower.Contains("count", StringComparison.Ordinal)) return Count;
        if (tokens.Any(t => HigherTokens.Contains(t) || LowerTokens.Contains(t) || t.StartsWith("acc", StringComparison.Ordinal)) || lower.Contains("miou", StringComparison.Ordinal))
            return Metrics;
        return Other;
    }

    public static string Direction(string key)
    {
        var lower = key.ToLowerInvariant();
        var tokens = Tokens(lower);
        if (lower.Contains("loss", StringComparison.Ordinal) || tokens.Any(LowerTokens.Contains)) return LowerIsBetter;
        if (tokens.Any(t => HigherTokens.Contains(t) || t.StartsWith("acc", StringComparison.Ordinal)) || lower.Contains("miou", StringComparison.Ordinal))
            return HigherIsBetter;
        return Unknown;
    }

    /// <summary>0 validation, 1 evaluation, 2 test; null for a training or unmarked series.</summary>
    public static int? EvaluationRank(string key) => MetricNames.SplitWord(key)?.ToLowerInvariant() switch
    {
        "val" or "valid" or "validation" => 0,
        "eval" or "evaluation" => 1,
        "test" => 2,
        _ => null,
    };

    /// <summary>
    /// A figure for the whole evaluation set ("val/mIoU", "eval/accuracy", "test/mean_iou") rather than
    /// one class of it ("val/IoU_road"): its name is the measure alone, or a mean of it.
    /// </summary>
    public static bool IsSummary(string key)
    {
        var name = string.Concat(Tokens(BaseName(key).ToLowerInvariant()));
        return HigherTokens.Contains(name) || LowerTokens.Contains(name)
            || name.StartsWith("mean", StringComparison.Ordinal) || name.StartsWith("avg", StringComparison.Ordinal) || name.StartsWith("overall", StringComparison.Ordinal);
    }

    /// <summary>The quantity without its split marker: "train/mIoU", "val/mIoU" and "Validation mIoU" give "mIoU".</summary>
    public static string BaseName(string key) => MetricNames.BaseName(key);

    private static string[] Tokens(string lower) => TokenSplit().Split(lower).Where(t => t.Length > 0).ToArray();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex TokenSplit();
}
