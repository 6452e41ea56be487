using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Core.Metrics;

namespace Dashboard.Components.Model;

/// <summary>The chart families of the monitoring guide, in the order the run page shows them.</summary>
public enum MetricFamily
{
    Losses = 0,
    Metrics = 1,
    SelfTrainingCount = 2,
    LearningRate = 3,
    Other = 4,
}

/// <summary>One chart: the metric keys drawn together.</summary>
public sealed record ChartSpec(MetricFamily Family, string Title, IReadOnlyList<string> Keys)
{
    public string KeysJson => JsonSerializer.Serialize(Keys);

    public string FamilySlug => MetricFamilies.Slug(Family);
}

/// <summary>A titled group of charts ("Losses", "Metrics", ...).</summary>
public sealed record ChartSection(MetricFamily Family, string Title, IReadOnlyList<ChartSpec> Charts)
{
    public string FamilySlug => MetricFamilies.Slug(Family);
}

/// <summary>
/// Groups metric keys the way the S4GAN monitoring guide groups its charts: Losses (one chart per
/// loss, its train and validation series together), Metrics (train and validation of one metric on
/// one chart, e.g. train/mIoU with val/mIoU), Self-training count (ST_Count), Learning rate (all
/// learning rates on one chart) and Other (one chart per quantity).
/// </summary>
public static partial class MetricFamilies
{
    private static readonly HashSet<string> MetricTokens = new(StringComparer.Ordinal)
    {
        "miou", "iou", "acc", "accuracy", "f1", "f1score", "psnr", "ssim", "ms_ssim", "precision", "recall",
        "dice", "auc", "ap", "map", "fid", "lpips", "top1", "top5", "bleu", "rouge", "mae", "mse", "rmse",
        "perplexity", "ppl", "kid", "pixacc", "fwiou",
    };

    public static string Title(MetricFamily family) => family switch
    {
        MetricFamily.Losses => "Losses",
        MetricFamily.Metrics => "Metrics",
        MetricFamily.SelfTrainingCount => "Self-training count",
        MetricFamily.LearningRate => "Learning rate",
        _ => "Other",
    };

    public static string Slug(MetricFamily family) => family switch
    {
        MetricFamily.Losses => "losses",
        MetricFamily.Metrics => "metrics",
        MetricFamily.SelfTrainingCount => "count",
        MetricFamily.LearningRate => "lr",
        _ => "other",
    };

    public static MetricFamily Classify(string key)
    {
        var lower = key.ToLowerInvariant();
        if (lower.Contains("loss", StringComparison.Ordinal)) return MetricFamily.Losses;

        var tokens = TokenSplit().Split(lower).Where(t => t.Length > 0).ToArray();
        if (tokens.Contains("lr") || tokens.Contains("learningrate")
            || lower.Contains("learning_rate", StringComparison.Ordinal)
            || lower.Contains("learning-rate", StringComparison.Ordinal)
            || lower.Contains("learning rate", StringComparison.Ordinal))
        {
            return MetricFamily.LearningRate;
        }

        if (lower.Contains("count", StringComparison.Ordinal) || tokens.Contains("cnt")) return MetricFamily.SelfTrainingCount;

        if (tokens.Any(t => MetricTokens.Contains(t) || t.StartsWith("acc", StringComparison.Ordinal) || t.StartsWith("top", StringComparison.Ordinal) && t.Length > 3 && char.IsDigit(t[3]))
            || lower.Contains("miou", StringComparison.Ordinal))
        {
            return MetricFamily.Metrics;
        }

        return MetricFamily.Other;
    }

    /// <summary>
    /// The quantity a key measures without its train/validation marker: "train/mIoU", "val/mIoU",
    /// "Validation mIoU" and "mIoU_val" all give "mIoU".
    /// </summary>
    public static string BaseName(string key) => MetricNames.BaseName(key);

    /// <summary>True for validation series ("val/mIoU", "Validation mIoU", "mIoU_val").</summary>
    public static bool IsValidation(string key) => SplitRank(key) == 2;

    /// <summary>Train series first, then the unmarked one, then validation, evaluation and test.</summary>
    private static int SplitRank(string key)
    {
        return MetricNames.SplitWord(key)?.ToLowerInvariant() switch
        {
            null => 1,
            "train" or "training" => 0,
            "val" or "valid" or "validation" => 2,
            "eval" or "evaluation" => 3,
            _ => 4,
        };
    }

    /// <summary>Sections in family order; charts in order of the first key seen; empty families left out.</summary>
    public static IReadOnlyList<ChartSection> Group(IEnumerable<string> keys)
    {
        var charts = new List<(MetricFamily Family, string GroupKey, string Title, List<(string Key, int Index)> Keys)>();
        var index = 0;
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            var family = Classify(key);
            var baseName = BaseName(key);
            var groupKey = family == MetricFamily.LearningRate ? "" : baseName.ToLowerInvariant();
            var title = family == MetricFamily.LearningRate ? Title(family) : baseName;
            var chart = charts.FindIndex(c => c.Family == family && c.GroupKey == groupKey);
            if (chart < 0)
            {
                charts.Add((family, groupKey, title, []));
                chart = charts.Count - 1;
            }

            charts[chart].Keys.Add((key, index++));
        }

        return charts
            .GroupBy(c => c.Family)
            .OrderBy(g => g.Key)
            .Select(g => new ChartSection(
                g.Key,
                Title(g.Key),
                g.Select(c => new ChartSpec(
                        c.Family,
                        c.Title,
                        c.Keys.OrderBy(k => SplitRank(k.Key)).ThenBy(k => k.Index).Select(k => k.Key).ToList()))
                    .ToList()))
            .ToList();
    }

    /// <summary>Keys in the order the charts show them (used for the current-values table).</summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> keys) =>
        Group(keys).SelectMany(s => s.Charts).SelectMany(c => c.Keys).ToList();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex TokenSplit();
}
