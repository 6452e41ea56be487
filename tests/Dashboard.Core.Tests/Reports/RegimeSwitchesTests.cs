using Dashboard.Core.Reports;

namespace Dashboard.Core.Tests.Reports;

public sealed class RegimeSwitchesTests
{
    [Fact]
    public void Metric_exactly_zero_until_the_discriminator_starts_switches_on_there()
    {
        var factor = ReportData.Metric("train/disc_factor", s => s <= 50_000 ? 0 : 1, from: 35_000, to: 104_800);

        var found = RegimeSwitches.Find(factor.Key, factor.Points);

        Assert.NotNull(found);
        Assert.Equal(0, found.HeldValue);
        Assert.Equal(50_000, found.HeldUntilStep);
        Assert.Equal(50_100, found.ChangedAtStep);
        Assert.Contains("switches on", found.Text);
    }

    [Fact]
    public void Noisy_metric_has_no_switch()
    {
        var random = new Random(3);
        var noisy = ReportData.Metric("loss", _ => random.NextDouble());

        Assert.Null(RegimeSwitches.Find(noisy.Key, noisy.Points));
    }

    [Fact]
    public void Phases_split_at_the_switch_and_state_each_phase_change()
    {
        var factor = ReportData.Metric("train/disc_factor", s => s <= 50_000 ? 0 : 1, from: 35_000, to: 100_000);
        var loss = ReportData.Metric("train/total_loss", s => s <= 50_000 ? 2000 - (s - 35_000) * 0.08 : 500 - (s - 50_000) * 0.03, from: 35_000, to: 100_000);
        var switches = new[] { RegimeSwitches.Find(factor.Key, factor.Points)! };

        var phases = RegimeSwitches.Phases(switches, [loss], 35_000, 100_000);

        Assert.Equal(2, phases.Count);
        Assert.Equal((35_000, 50_099), (phases[0].FromStep, phases[0].ToStep));
        Assert.Equal((50_100, 100_000), (phases[1].FromStep, phases[1].ToStep));
        var first = Assert.Single(phases[0].Changes);
        Assert.Equal(new ReportPoint(35_000, 2000), first.Start);
        Assert.Equal(new ReportPoint(50_000, 2000 - 15_000 * 0.08), first.End);
        var second = Assert.Single(phases[1].Changes);
        Assert.Equal(500 - 100 * 0.03, second.Start.Value, 9);
        Assert.Equal(500 - 50_000 * 0.03, second.End.Value, 9);
        Assert.Null(second.Change.Percent);
    }
}
