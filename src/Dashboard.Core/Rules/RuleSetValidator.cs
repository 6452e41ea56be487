namespace Dashboard.Core.Rules;

/// <summary>Every problem of a rule set, each naming its configuration key (<c>Rules:loss-d-high:Threshold</c>).</summary>
public static class RuleSetValidator
{
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, RuleDefinition> rules)
    {
        var errors = new List<string>();
        foreach (var (id, rule) in rules)
        {
            if (!rule.Enabled)
                continue;
            var key = $"Rules:{id}";
            void Need(bool ok, string property, string why)
            {
                if (!ok)
                    errors.Add($"{key}:{property}: {why}");
            }

            if (rule.Kind is not { } kind)
            {
                errors.Add($"{key}:Kind: is missing (one of {string.Join(", ", Enum.GetNames<RuleKind>())}).");
                continue;
            }
            var metricLess = kind is RuleKind.Event or RuleKind.Stalled;
            Need(metricLess || rule.Metrics.Count > 0 && rule.Metrics.All(m => !string.IsNullOrWhiteSpace(m)), "Metrics", "needs at least one metric name or pattern, and no empty one.");
            Need(!string.IsNullOrWhiteSpace(rule.Message), "Message", "is missing: say what is wrong.");
            Need(rule.Points >= 1, "Points", $"{rule.Points} must be at least 1.");
            Need(rule.Tolerance >= 0, "Tolerance", $"{rule.Tolerance} must not be negative.");
            Need(rule.AfterStep >= 0, "AfterStep", $"{rule.AfterStep} must not be negative.");
            switch (kind)
            {
                case RuleKind.Above or RuleKind.Below or RuleKind.Gap:
                    Need(rule.Threshold is { } t && double.IsFinite(t), "Threshold", "is missing or not a finite number.");
                    Need(rule.CriticalThreshold is null || rule.Threshold is null || (kind == RuleKind.Below ? rule.CriticalThreshold < rule.Threshold : rule.CriticalThreshold > rule.Threshold),
                        "CriticalThreshold", "must be beyond Threshold.");
                    break;
                case RuleKind.Stuck or RuleKind.DropsTo:
                    Need(rule.Value is { } v && double.IsFinite(v), "Value", "is missing or not a finite number.");
                    break;
                case RuleKind.Spike:
                    Need(rule.Factor > 1, "Factor", $"{rule.Factor} must be above 1 (a spike is a multiple of the recent median).");
                    Need(rule.Window is >= 3 and <= 1000, "Window", $"{rule.Window} is outside 3..1000 points.");
                    break;
                case RuleKind.Trend:
                    Need(rule.Blocks is >= 2 and <= 20, "Blocks", $"{rule.Blocks} is outside 2..20.");
                    Need(rule.Window >= 2 * rule.Blocks && rule.Window <= 1000 && rule.Window % rule.Blocks == 0, "Window", $"{rule.Window} must be a multiple of Blocks, at least 2 × Blocks and at most 1000.");
                    break;
                case RuleKind.SuddenZero:
                    Need(rule.Window is >= 1 and <= 1000, "Window", $"{rule.Window} is outside 1..1000 points.");
                    Need(rule.MinPrevious > rule.Tolerance, "MinPrevious", "must be above Tolerance (the level the metric drops from).");
                    break;
                case RuleKind.Plateau:
                    Need(rule.Steps >= 1, "Steps", $"{rule.Steps} must be at least 1.");
                    break;
                case RuleKind.Diverging:
                    Need(rule.Window is >= 2 and <= 1000 && rule.Window % 2 == 0, "Window", $"{rule.Window} must be even, within 2..1000 points.");
                    break;
                case RuleKind.Band:
                    Need(rule.Bands.Count > 0, "Bands", "needs at least one band.");
                    Need(rule.Window is >= 0 and <= 1000, "Window", $"{rule.Window} is outside 0..1000 points (0: each point judged alone).");
                    for (var i = 0; i < rule.Bands.Count; i++)
                    {
                        var band = rule.Bands[i];
                        Need(band.FromStep < band.ToStep && band.Min <= band.Max, $"Bands:{i}", "needs FromStep < ToStep and Min <= Max.");
                    }
                    break;
                case RuleKind.Event:
                    Need(rule.Events.Count > 0, "Events", "needs at least one event kind (Crash, OutOfMemory, ...).");
                    break;
            }
            if (kind is RuleKind.Gap or RuleKind.Diverging)
                Need(rule.Versus.Count > 0 && rule.Versus.All(m => !string.IsNullOrWhiteSpace(m)), "Versus", "needs the second metric's names or patterns.");
        }
        return errors;
    }
}
