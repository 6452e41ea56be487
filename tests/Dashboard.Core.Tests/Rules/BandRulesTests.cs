using Dashboard.Core.Rules;
using Dashboard.Core.Simulation;

namespace Dashboard.Core.Tests.Rules;

/// <summary>Band rules judge a smoothed value with a margin to clear, so noise around a band's edge does not flap an alert.</summary>
public sealed class BandRulesTests
{
    private static readonly RuleDefinition Band = new()
    {
        Kind = RuleKind.Band, Metrics = ["*"], Window = 4, Points = 2, Message = "m", Severity = AlertSeverity.Info,
        Bands = [new() { FromStep = 0, ToStep = 100_000, Min = 1, Max = 2 }],
    };

    [Fact]
    public void Noise_across_the_edge_raises_nothing_while_the_mean_stays_inside() =>
        // Every other point is out of the band, but the mean of four never leaves it.
        Assert.Empty(RulesHarness.Series(Band, "x", 1.5, 2.3, 1.5, 2.3, 1.5, 2.3, 1.5, 2.3, 1.5, 2.3));

    [Fact]
    public void The_mean_outside_for_Points_raises_and_only_a_mean_well_inside_clears()
    {
        // Means: 3, 3, 3 (raised at the second), then 2.75, 2.5, 2.25 (outside), 1.95 (inside, but within a
        // tenth of the width of the edge: neither), then 1.7, 1.45 (well inside: two clear readings resolve).
        var seen = RulesHarness.Series(Band, "x", 3, 3, 3, 2, 2, 2, 1.8, 1.0, 1.0);
        Assert.Equal(
            [(AlertChangeKind.Raised, 200L), (AlertChangeKind.Resolved, 900L)],
            seen.Where(s => s.Kind != AlertChangeKind.Updated).Select(s => (s.Kind, s.AtStep)));
    }

    [Fact]
    public void The_noisy_simulator_does_not_flap_the_guide_bands()
    {
        // 20,000 steps of the healthy simulator, one line a step: every loss is noisy around its curve.
        var lines = new S4GanLogSimulator(totalSteps: 20_000, logEvery: 1, evaluateEvery: 0, learningRates: false).Lines();
        var counts = new Dictionary<string, int>();
        var raised = RulesHarness.Run(lines, counts).Where(s => s.Kind == AlertChangeKind.Raised && s.Rule.StartsWith("band-", StringComparison.Ordinal)).ToList();
        Assert.Equal(20_000, counts["Loss_CE"]);
        // A falling curve can be above a phase's band when the phase begins and pass below it later, but
        // noise must not raise it again and again: at most two raises per phase and metric (it was 67 in all).
        var bands = RulesHarness.Guide.Where(r => r.Key.StartsWith("band-", StringComparison.Ordinal)).ToDictionary(r => r.Key, r => r.Value.Bands);
        Assert.All(
            raised.GroupBy(s => (s.Rule, s.Metric, Phase: bands[s.Rule].FindIndex(b => b.Contains(s.FirstStep!.Value)))),
            alerts => Assert.InRange(alerts.Count(), 1, 2));
    }
}
