namespace Dashboard.Core.Rules.Conditions;

/// <summary>A fresh condition state for a metric-reading rule.</summary>
internal static class ConditionFactory
{
    public static ICondition Create(RuleDefinition rule) => rule.Kind switch
    {
        RuleKind.NonFinite or RuleKind.Above or RuleKind.Below or RuleKind.Stuck or RuleKind.DropsTo => new ConsecutiveCondition(rule),
        RuleKind.AlwaysZero => new AlwaysZeroCondition(rule),
        RuleKind.Spike => new SpikeCondition(rule),
        RuleKind.Trend => new TrendCondition(rule),
        RuleKind.SuddenZero => new SuddenZeroCondition(rule),
        RuleKind.Gap => new GapCondition(rule),
        RuleKind.Plateau => new PlateauCondition(rule),
        RuleKind.Diverging => new DivergingCondition(rule),
        RuleKind.Band => new BandCondition(rule),
        _ => throw new ArgumentException($"{rule.Kind} does not read metrics.", nameof(rule)),
    };

    public static bool ReadsTwoMetrics(RuleKind kind) => kind is RuleKind.Gap or RuleKind.Diverging;

    public static bool ReadsMetrics(RuleKind kind) => kind is not (RuleKind.Event or RuleKind.Stalled);
}
