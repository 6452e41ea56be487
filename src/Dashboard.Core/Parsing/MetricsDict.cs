using System.Text.Json.Nodes;

namespace Dashboard.Core.Parsing;

/// <summary>
/// A printed dict of numbers that names its own position (<c>{'loss': 0.5, 'step': 100}</c>, as Hugging
/// Face's Trainer prints every log) is a metrics record, not the run's configuration.
/// </summary>
internal static class MetricsDict
{
    // Step-like keys before "epoch": the finer clock wins, as in StepMarker.
    private static readonly string[] StepKeys = ["global_step", "step", "iteration", "iter", "epoch"];

    public static bool IsMetrics(JsonObject dict)
    {
        var hasStepKey = false;
        foreach (var (key, value) in dict)
        {
            if (!TryGetNumber(value, out _))
                return false;
            hasStepKey |= StepKeys.Contains(key);
        }
        return hasStepKey;
    }

    /// <summary>The key that gives the step (an integer), or null when none does (Trainer's 'epoch': 0.25).</summary>
    public static string? FindStep(JsonObject dict, out long step)
    {
        foreach (var key in StepKeys)
        {
            // Only a printed integer: transformers 5 quotes its fractional epoch too, and '1' there is epoch 1.0.
            if (dict[key] is JsonValue value && value.TryGetValue(out step) && step >= 0)
                return key;
        }
        step = 0;
        return null;
    }

    /// <summary>
    /// The Trainer's closing dict, <c>{'train_runtime': '2.217', ..., 'train_loss': '0.3304', 'epoch': '3'}</c>: figures
    /// about the whole training, printed once when it ends.
    /// </summary>
    public static bool IsTrainingSummary(JsonObject dict) => dict.ContainsKey("train_runtime");

    /// <summary>How many x-axis units one epoch is when only a fractional epoch places a record.</summary>
    public const int StepsPerEpoch = 1000;

    private const double MaxEpoch = 1e12;

    /// <summary>
    /// Hugging Face's Trainer prints <c>{'loss': 0.41, ..., 'epoch': 0.12}</c> with no step: the record is
    /// placed at the epoch in thousandths (0.12 → 120, 1.0 → 1000), which keeps training and
    /// <c>eval_*</c> records of one run on one axis and in order, and survives a restart (no state).
    /// </summary>
    public static string? FindScaledEpoch(JsonObject dict, out long step)
    {
        step = 0;
        if (!TryGetNumber(dict["epoch"], out var epoch) || !(epoch >= 0 && epoch < MaxEpoch))
            return null;
        step = (long)Math.Round(epoch * StepsPerEpoch, MidpointRounding.AwayFromZero);
        return "epoch";
    }

    /// <summary>
    /// A number, nan/inf as PythonLiteral stores them, or a number in quotes: transformers 5 prints every log
    /// value formatted as a string (<c>{'loss': '0.692', 'learning_rate': '4.766e-05', 'epoch': '0.1562'}</c>).
    /// </summary>
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue json)
            return false;
        if (json.TryGetValue<long>(out var integer))
        {
            value = integer;
            return true;
        }
        if (json.TryGetValue(out value))
            return true;
        if (!json.TryGetValue<string>(out var text))
            return false;
        switch (text.ToLowerInvariant())
        {
            case "nan":
                value = double.NaN;
                return true;
            case "infinity" or "inf":
                value = double.PositiveInfinity;
                return true;
            case "-infinity" or "-inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '.') && DecimalParser.TryParse(text, out value);
        }
    }
}
