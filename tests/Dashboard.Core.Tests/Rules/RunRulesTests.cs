using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Core.Simulation;

namespace Dashboard.Core.Tests.Rules;

public sealed class RunRulesTests
{
    private static readonly RuleDefinition TrainValGap = new() { Kind = RuleKind.Gap, Metrics = ["train/*"], Versus = ["val/*"], Threshold = 0.1, Message = "{metric} vs {versus}" };

    [Fact]
    public void An_alert_is_raised_once_updated_while_it_holds_and_resolved_when_it_clears()
    {
        var seen = RulesHarness.Series(RulesHarness.Above, "loss", 0.5, 2, 3, 4, 0.5);
        Assert.Equal(
            [(AlertChangeKind.Raised, 200L), (AlertChangeKind.Updated, 300L), (AlertChangeKind.Updated, 400L), (AlertChangeKind.Resolved, 500L)],
            seen.Select(s => (s.Kind, s.AtStep)));
        Assert.All(seen, s => Assert.Equal(200, s.FirstStep));
    }

    [Fact]
    public void Updates_are_reported_once_per_batch_with_the_latest_step()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(RulesHarness.Above)));
        RulesHarness.Feed(engine, ("loss", 100, 2));
        var updates = RulesHarness.Feed(engine, ("loss", 200, 3), ("loss", 300, 4), ("loss", 400, 5));
        var update = Assert.Single(updates);
        Assert.Equal((AlertChangeKind.Updated, 400L), (update.Kind, update.AtStep));
        Assert.Equal(5, Assert.Single(engine.Open).Value);
    }

    [Fact]
    public void A_point_at_a_step_already_seen_is_not_counted_twice()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(RulesHarness.Above with { Points = 3 })));
        RulesHarness.Feed(engine, ("loss", 100, 2), ("loss", 200, 2));
        Assert.Empty(RulesHarness.Feed(engine, ("loss", 100, 2), ("loss", 200, 2)));
        Assert.Equal(AlertChangeKind.Raised, Assert.Single(RulesHarness.Feed(engine, ("loss", 300, 2))).Kind);
    }

    [Fact]
    public void Repeated_steps_inside_one_batch_count_once()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(RulesHarness.Above with { Points = 3 })));
        Assert.Empty(RulesHarness.Feed(engine, ("loss", 100, 2), ("loss", 100, 2), ("loss", 200, 2), ("loss", 150, 2), ("loss", 200, 2)));
        var raised = Assert.Single(RulesHarness.Feed(engine, ("loss", 300, 2)));
        Assert.Equal((AlertChangeKind.Raised, 100L), (raised.Kind, raised.FirstStep!.Value));
    }

    [Fact]
    public void Batches_of_any_size_raise_and_resolve_the_same_alerts_as_one_point_at_a_time()
    {
        var points = RulesHarness.UnstableTraining();
        var pointByPoint = RulesHarness.Replay(new RunRules(new RuleSet(RulesHarness.Guide)), RulesHarness.Batches(points, 1));
        Assert.Contains(pointByPoint, alert => alert.StartsWith("Raised loss-d-high", StringComparison.Ordinal));
        Assert.Contains(pointByPoint, alert => alert.StartsWith("Resolved band-", StringComparison.Ordinal));
        Assert.Contains(pointByPoint, alert => alert.StartsWith("Open", StringComparison.Ordinal));
        foreach (var size in new[] { 7, 1_000, points.Count })
            Assert.Equal(pointByPoint, RulesHarness.Replay(new RunRules(new RuleSet(RulesHarness.Guide)), RulesHarness.Batches(points, size)));
    }

    [Fact]
    public void A_metric_only_a_two_metric_rule_reads_is_read_once_bound_with_its_twin()
    {
        var unbound = new RunRules(new RuleSet(RulesHarness.One(TrainValGap)));
        var bound = new RunRules(new RuleSet(RulesHarness.One(TrainValGap)));

        bound.Bind(["train/loss", "lr", "val/loss"]);

        // Asked alone, before its twin is known, no rule reads train/loss yet: a replay that asked so would skip it.
        Assert.False(unbound.Reads("train/loss"));
        Assert.True(bound.Reads("train/loss"));
        Assert.True(bound.Reads("val/loss"));
        Assert.False(bound.Reads("lr"));
    }

    [Fact]
    public void A_metric_no_rule_reads_is_skipped_to_its_last_step_with_the_same_effect_as_its_points()
    {
        var crash = new RuleDefinition { Kind = RuleKind.Event, Events = [RunEventKind.Crash], Message = "crashed" };
        var rules = new RuleSet(new Dictionary<string, RuleDefinition> { ["loss-high"] = RulesHarness.Above, ["crash"] = crash });
        var read = new RunRules(rules);
        var skipped = new RunRules(rules);
        foreach (var engine in new[] { read, skipped })
            engine.Observe(new RunEvent(RunEventKind.Crash, 150, 0, "Traceback"));
        Assert.True(read.Reads("loss"));
        Assert.False(read.Reads("lr"));

        // The run went on past the crash: its alert clears, whether lr's points are read or only its last step.
        RulesHarness.Feed(read, ("lr", 100, 0.1), ("lr", 200, 0.1));
        skipped.Skip("lr", 200);

        Assert.Equal(200, read.LastStep);
        Assert.Equal(200, skipped.LastStep);
        Assert.Empty(read.Open);
        Assert.Empty(skipped.Open);
    }

    [Fact]
    public void Metric_names_match_patterns_whatever_their_case()
    {
        var rules = new Dictionary<string, RuleDefinition> { ["d"] = RulesHarness.Above with { Metrics = ["Loss_D", "*d_loss"] } };
        var engine = new RunRules(new RuleSet(rules));
        var seen = RulesHarness.Feed(engine, ("loss_d", 100, 2), ("train/d_loss", 100, 2), ("Loss_G", 100, 2));
        Assert.Equal(["loss_d", "train/d_loss"], seen.Select(s => s.Metric).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_two_metric_rule_pairs_train_and_val_of_the_same_name_and_reads_them_step_by_step()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.One(TrainValGap)));
        // One batch carries both metrics over several evaluations; only step 1000 has a gap.
        var seen = RulesHarness.Feed(engine,
            ("train/mIoU", 500, 0.5), ("train/mIoU", 1000, 0.8), ("train/mIoU", 1500, 0.8),
            ("val/mIoU", 500, 0.45), ("val/mIoU", 1000, 0.6), ("val/mIoU", 1500, 0.75),
            ("train/acc", 1000, 0.9), ("val/loss", 1000, 0.1));
        Assert.Equal(
            [(AlertChangeKind.Raised, 1000L, 1500L), (AlertChangeKind.Resolved, 1000L, 1500L)],
            seen.Select(s => (s.Kind, s.FirstStep!.Value, s.AtStep)));
        Assert.Equal("train/mIoU − val/mIoU", seen[0].Metric);
    }

    [Fact]
    public void Validation_loss_rising_while_training_loss_falls_is_caught_for_any_naming()
    {
        foreach (var (train, val) in new[] { ("loss", "val_loss"), ("train/total_loss", "val/total_loss"), ("loss", "eval_loss") })
        {
            var engine = new RunRules(new RuleSet(RulesHarness.Guide));
            var points = Enumerable.Range(1, 10).SelectMany(e => new[] { (train, e * 1000L, 2.0 - 0.1 * e), (val, e * 1000L, 1.0 + 0.1 * e) }).ToArray();
            var raised = Assert.Single(RulesHarness.Feed(engine, points), s => s.Rule == "val-loss-rising");
            Assert.Equal(($"{val} − {train}", 10_000L), (raised.Metric, raised.AtStep));
        }
    }

    [Fact]
    public void The_switching_on_of_a_loss_that_was_zero_is_not_a_spike()
    {
        var spike = new RuleDefinition { Kind = RuleKind.Spike, Metrics = ["*"], Window = 4, Factor = 5, Message = "m" };
        Assert.Empty(RulesHarness.Series(spike, "Loss_ST", 0, 0, 0, 0, 2.5, 2.4));
        Assert.Single(RulesHarness.Series(spike, "Loss_CE", 1, 1.1, 0.9, 1, 10), s => s.Kind == AlertChangeKind.Raised);
    }

    [Fact]
    public void A_drop_to_a_value_needs_the_metric_to_have_been_away_from_it()
    {
        var drops = new RuleDefinition { Kind = RuleKind.DropsTo, Metrics = ["*"], Value = 0, Tolerance = 0.0005, Message = "m" };
        Assert.Empty(RulesHarness.Series(drops, "Loss_D", 0, 0));
        Assert.Equal(300, Assert.Single(RulesHarness.Series(drops, "Loss_D", 0.4, 0.3, 0)).AtStep);
    }

    [Fact]
    public void Always_zero_is_over_for_good_after_one_non_zero_value()
    {
        var always = new RuleDefinition { Kind = RuleKind.AlwaysZero, Metrics = ["*"], AfterStep = 100, Points = 2, Message = "m" };
        Assert.Empty(RulesHarness.Series(always, "ST_Count", 0, 1, 0, 0, 0));
        Assert.Equal(300, Assert.Single(RulesHarness.Series(always, "ST_Count", 0, 0, 0, 0), s => s.Kind == AlertChangeKind.Raised).AtStep);
    }

    [Fact]
    public void A_band_only_speaks_inside_its_phase()
    {
        var band = new RuleDefinition { Kind = RuleKind.Band, Metrics = ["*"], Bands = [new() { FromStep = 0, ToStep = 300, Min = 1, Max = 2 }], Message = "m", Severity = AlertSeverity.Info };
        var seen = RulesHarness.Series(band, "x", 5, 5, 5, 5);
        Assert.Equal(
            [(AlertChangeKind.Raised, 100L), (AlertChangeKind.Updated, 200L), (AlertChangeKind.Resolved, 300L)],
            seen.Select(s => (s.Kind, s.AtStep)));
    }

    [Fact]
    public void Non_finite_values_do_not_poison_the_windows_of_other_rules()
    {
        var trend = new RuleDefinition { Kind = RuleKind.Trend, Metrics = ["*"], Window = 4, Blocks = 2, MinRatio = 0.5, Message = "m" };
        var seen = RulesHarness.Series(trend, "Loss_FM", 1, double.NaN, 1, 2, 2, 3);
        Assert.Equal(500L, Assert.Single(seen, s => s.Kind == AlertChangeKind.Raised).AtStep);
    }

    [Fact]
    public void An_event_rule_names_no_metric_and_keeps_the_step_of_the_event()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.Guide));
        RulesHarness.Feed(engine, ("Loss_CE", 4200, 1.0));
        engine.Observe(new RunEvent(RunEventKind.OutOfMemory, null, 0, "CUDA out of memory"));
        var raised = Assert.Single(engine.TakeChanges());
        Assert.Equal(("out-of-memory", "", 4200L), (raised.Alert.RuleId, raised.Alert.Metric, raised.Alert.FirstStep!.Value));
    }
}
