using Dashboard.Core.Records;
using Dashboard.Core.Rules;

namespace Dashboard.Core.Tests.Rules;

public sealed class RuleSnapshotsTests
{
    [Fact]
    public void A_resume_goes_on_from_a_copy_before_its_step_as_a_replay_from_the_first_point_would()
    {
        // Written up to step 4,000, the stretch from 3,000 gone wild (every value a thousand times too high); then
        // resumed from step 3,000 and written again as it should have been. A copy that shared any state with the
        // engine it came from would carry the wild stretch into what follows it.
        const long resumedFrom = 3_000;
        var rewritten = Noisy(to: 4_000, wildFrom: long.MaxValue);
        var live = new RunRules(new RuleSet(RulesHarness.Guide));
        var snapshots = new RuleSnapshots(every: 500, keep: 8);
        foreach (var batch in RulesHarness.Batches(Noisy(to: 4_000, wildFrom: resumedFrom), 64))
        {
            live.Observe(batch);
            live.TakeChanges();
            snapshots.Offer(live);
        }

        var restored = snapshots.Before(resumedFrom);

        Assert.NotNull(restored);
        var copyStep = restored.LastStep!.Value;
        Assert.InRange(copyStep, resumedFrom - 1_000, resumedFrom - 1);
        var fromFirstPoint = new RunRules(new RuleSet(RulesHarness.Guide));
        fromFirstPoint.Observe(RulesHarness.Batches([.. rewritten.Where(p => p.Step <= copyStep)], int.MaxValue).Single());
        fromFirstPoint.TakeChanges();
        var (expected, actual) = (new List<string>(), new List<string>());
        foreach (var batch in RulesHarness.Batches([.. rewritten.Where(p => p.Step > copyStep)], 64))
        {
            expected.AddRange(Changes(fromFirstPoint, batch));
            actual.AddRange(Changes(restored, batch));
        }
        Assert.Contains(expected, change => change.StartsWith("Raised loss-spike", StringComparison.Ordinal));
        Assert.Contains(expected, change => change.StartsWith("Resolved", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
        Assert.Equal(fromFirstPoint.Open.Select(Describe), restored.Open.Select(Describe));
    }

    [Fact]
    public void A_copy_changes_apart_from_the_engine_it_was_taken_from()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(RulesHarness.Above)));
        RulesHarness.Feed(engine, ("loss", 100, 2));
        var copy = engine.Snapshot();

        Assert.Equal(AlertChangeKind.Resolved, Assert.Single(RulesHarness.Feed(engine, ("loss", 200, 0.5))).Kind);

        var open = Assert.Single(copy.Open);
        Assert.Equal((100L, false), (open.LastStep!.Value, open.Resolved));
        Assert.Equal((AlertChangeKind.Updated, 300L), Assert.Single(RulesHarness.Feed(copy, ("loss", 300, 3))) is var seen ? (seen.Kind, seen.AtStep) : default);
        Assert.Empty(engine.Open);
    }

    [Fact]
    public void A_copy_is_refused_while_changes_wait_to_be_taken()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(RulesHarness.Above)));
        engine.Observe(new Dictionary<string, List<StoredPoint>> { ["loss"] = [new(100, 2, 0)] });
        Assert.Throws<InvalidOperationException>(engine.Snapshot);
    }

    [Fact]
    public void Copies_stay_dense_near_the_present_and_spread_out_into_the_past()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(RulesHarness.Above)));
        var snapshots = new RuleSnapshots(every: 10, keep: 8);
        for (var step = 1L; step <= 10_000; step++)
        {
            RulesHarness.Feed(engine, ("loss", step, 0.5));
            snapshots.Offer(engine);
        }
        Assert.Equal(8, snapshots.Count);

        // Each copy in turn, newest first: a resume to the step of one gets the one before it.
        var steps = new List<long>();
        for (var from = 10_001L; snapshots.Before(from) is { } copy; from = copy.LastStep!.Value)
            steps.Add(copy.LastStep!.Value);

        Assert.Equal(8, steps.Count);
        Assert.InRange(steps[0], 9_990, 10_000);
        Assert.Equal(10, steps[^1]);
        var gaps = steps.Zip(steps.Skip(1), (newer, older) => newer - older).ToList();
        Assert.True(gaps[^2] > 8 * gaps[0], $"the gaps between copies should grow into the past: {string.Join(", ", gaps)}");
        Assert.Equal(0, snapshots.Count);
    }

    /// <summary>
    /// A run that goes bad all the time, steps 1 to <paramref name="to"/>: every loss random around its level, one point
    /// in 20 a spike, a NaN burst now and then, evaluations in pairs every 50 steps; from <paramref name="wildFrom"/> on,
    /// every value a thousand times higher. A step's values depend on the step alone.
    /// </summary>
    private static List<MetricPoint> Noisy(long to, long wildFrom)
    {
        (string Key, double Level)[] losses = [("Loss_CE", 1.0), ("Loss_FM", 0.02), ("Loss_ST", 0.6), ("Loss_D", 0.35)];
        var points = new List<MetricPoint>();
        for (var step = 1L; step <= to; step++)
        {
            var random = new Random((int)step);
            var scale = step >= wildFrom ? 1_000 : 1;
            foreach (var (key, level) in losses)
            {
                var value = step % 997 < 5 ? double.NaN : level * Math.Exp(random.NextDouble() * 2 - 1) * (random.Next(20) == 0 ? 50 : 1);
                points.Add(new(key, step, value * scale, 0));
            }
            points.Add(new("ST_Count", step, random.Next(0, 14) * scale, 0));
            if (step % 50 == 0)
            {
                points.Add(new("train/mIoU", step, random.NextDouble() * scale, 0));
                points.Add(new("val/mIoU", step, random.NextDouble() * scale, 0));
            }
        }
        return points;
    }

    /// <summary>Every change a batch makes, with every field the store keeps.</summary>
    private static IEnumerable<string> Changes(RunRules engine, Dictionary<string, List<StoredPoint>> batch)
    {
        engine.Observe(batch);
        return engine.TakeChanges().Select(c => $"{c.Kind} {Describe(c.Alert)}");
    }

    private static string Describe(TrackedAlert alert) =>
        $"{alert.RuleId} {alert.Metric} {alert.FirstStep} {alert.LastStep} {alert.Value} {alert.Severity} {alert.Resolved}";
}
