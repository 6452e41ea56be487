using Dashboard.Core.Rules;
using Dashboard.Storage;

namespace Dashboard.Alerts;

/// <summary>An expected range of a metric over a phase of training (shaded on its chart).</summary>
public sealed record BandView(string Metric, string RuleId, long FromStep, long? ToStep, double? Min, double? Max)
{
    /// <summary>The bands the rules expect for the run's metrics (an open end or side is null).</summary>
    public static IReadOnlyList<BandView> Of(RunDetail run, RuleSet rules) =>
        [.. run.Metrics.SelectMany(m => rules.BandsFor(m.Key).Select(b => new BandView(
            m.Key, b.Rule.Id, b.Band.FromStep,
            b.Band.ToStep == long.MaxValue ? null : b.Band.ToStep,
            double.IsFinite(b.Band.Min) ? b.Band.Min : null,
            double.IsFinite(b.Band.Max) ? b.Band.Max : null)))];
}
