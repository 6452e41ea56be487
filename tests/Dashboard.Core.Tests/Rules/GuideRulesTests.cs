using Dashboard.Core.Rules;
using Dashboard.Core.Simulation;

namespace Dashboard.Core.Tests.Rules;

/// <summary>Each warning sign of the monitoring guide, planted in an otherwise healthy log, fires its rule at the step it appears.</summary>
public sealed class GuideRulesTests
{
    private static readonly GuideLog Healthy = new();

    private static Seen Raised(IEnumerable<Seen> seen, string rule) =>
        Assert.Single(seen, s => s.Kind == AlertChangeKind.Raised && s.Rule == rule);

    private static void AssertRaised(GuideLog log, string rule, string metric, long atStep, long firstStep, AlertSeverity severity = AlertSeverity.Warning)
    {
        var raised = Raised(RulesHarness.Run(log.Lines()), rule);
        Assert.Equal((metric, atStep, firstStep, severity), (raised.Metric, raised.AtStep, raised.FirstStep!.Value, raised.Severity));
    }

    [Fact]
    public void The_noise_free_healthy_log_raises_no_warning()
    {
        var counts = new Dictionary<string, int>();
        var seen = RulesHarness.Run(Healthy.Lines(), counts);
        // No warning means something only when the rules saw the whole log: 500 iterations, 100 evaluations.
        Assert.Equal(
            new Dictionary<string, int> { ["Loss_CE"] = 500, ["Loss_FM"] = 500, ["Loss_ST"] = 500, ["Loss_D"] = 500, ["ST_Count"] = 500, ["train/mIoU"] = 100, ["val/mIoU"] = 100 },
            counts);
        Assert.DoesNotContain(seen, s => s.Severity > AlertSeverity.Info);
    }

    [Fact]
    public void The_simulated_healthy_training_raises_no_warning_over_50000_iterations()
    {
        var lines = new S4GanLogSimulator(seed: 11).Lines().ToList();
        var counts = new Dictionary<string, int>();
        var seen = RulesHarness.Run(lines, counts);
        var iterations = lines.Count(l => l.StartsWith("Iter ", StringComparison.Ordinal));
        Assert.Equal(500, iterations);
        Assert.All(new[] { "Loss_CE", "Loss_FM", "Loss_ST", "Loss_D" }, key => Assert.Equal(iterations, counts.GetValueOrDefault(key)));
        Assert.Equal(lines.Count(l => l.StartsWith("Validation mIoU", StringComparison.Ordinal)), counts.GetValueOrDefault("val/mIoU"));
        Assert.InRange(counts.GetValueOrDefault("val/mIoU"), 1, 100);
        Assert.DoesNotContain(seen, s => s.Severity > AlertSeverity.Info);
    }

    [Fact]
    public void Nan_cross_entropy_is_critical_at_its_iteration() =>
        AssertRaised(Healthy with { CrossEntropy = t => t == 3000 ? double.NaN : Healthy.CrossEntropy(t) }, "loss-nonfinite", "Loss_CE", 3000, 3000, AlertSeverity.Critical);

    [Fact]
    public void Infinite_discriminator_loss_is_critical() =>
        AssertRaised(Healthy with { Discriminator = t => t == 7000 ? double.PositiveInfinity : Healthy.Discriminator(t) }, "loss-nonfinite", "Loss_D", 7000, 7000, AlertSeverity.Critical);

    [Fact]
    public void A_tenfold_jump_of_the_cross_entropy_is_a_spike() =>
        AssertRaised(Healthy with { CrossEntropy = t => t == 8000 ? 10 * Healthy.CrossEntropy(t) : Healthy.CrossEntropy(t) }, "loss-spike", "Loss_CE", 8000, 8000);

    [Fact]
    public void Cross_entropy_above_4_after_5000_iterations_means_not_learning() =>
        AssertRaised(Healthy with { CrossEntropy = _ => 4.5 }, "loss-ce-not-learning", "Loss_CE", 5200, 5000);

    [Fact]
    public void Feature_matching_stuck_at_zero_means_the_discriminator_is_not_working() =>
        AssertRaised(Healthy with { FeatureMatching = t => t >= 2000 ? 0 : Healthy.FeatureMatching(t) }, "loss-fm-stuck-zero", "Loss_FM", 2900, 2000);

    [Fact]
    public void Feature_matching_rising_continuously_means_unstable_gan_training()
    {
        // Flat at 0.01, then rising from iteration 10,000: the five 1,000-iteration blocks of the
        // 50-line window are first strictly rising when the second block holds a rising point.
        AssertRaised(Healthy with { FeatureMatching = t => t <= 10_000 ? 0.01 : 0.01 + 0.00002 * (t - 10_000) }, "loss-fm-rising", "Loss_FM", 13_100, 8200);
    }

    [Fact]
    public void Self_training_loss_always_zero_after_1000_means_the_threshold_is_too_high() =>
        AssertRaised(Healthy with { SelfTraining = _ => 0 }, "loss-st-always-zero", "Loss_ST", 2000, 1100);

    [Fact]
    public void Self_training_loss_above_5_means_poor_pseudo_labels() =>
        AssertRaised(Healthy with { SelfTraining = t => t == 20_000 ? 6 : Healthy.SelfTraining(t) }, "loss-st-high", "Loss_ST", 20_000, 20_000);

    [Fact]
    public void Discriminator_stuck_at_0_693_is_not_training() =>
        AssertRaised(Healthy with { Discriminator = _ => 0.693 }, "loss-d-stuck", "Loss_D", 2000, 100);

    [Fact]
    public void Discriminator_loss_dropping_to_zero_means_it_is_too_strong() =>
        AssertRaised(Healthy with { Discriminator = t => t >= 30_000 ? 0 : Healthy.Discriminator(t) }, "loss-d-zero", "Loss_D", 30_000, 30_000);

    [Fact]
    public void Discriminator_loss_above_1_means_unstable_training() =>
        AssertRaised(Healthy with { Discriminator = t => t == 25_000 ? 1.2 : Healthy.Discriminator(t) }, "loss-d-high", "Loss_D", 25_000, 25_000);

    [Fact]
    public void Self_training_count_always_zero_after_1000() =>
        AssertRaised(Healthy with { Count = _ => 0 }, "st-count-always-zero", "ST_Count", 2000, 1100);

    [Fact]
    public void Self_training_count_suddenly_dropping_to_zero_means_degrading() =>
        AssertRaised(Healthy with { Count = t => t >= 30_000 ? 0 : Healthy.Count(t) }, "st-count-drop", "ST_Count", 30_200, 30_000);

    [Fact]
    public void Self_training_count_at_zero_for_one_or_two_readings_is_noise_not_a_drop()
    {
        var seen = RulesHarness.Run((Healthy with { Count = t => t is 30_000 or 40_000 or 40_100 ? 0 : Healthy.Count(t) }).Lines());
        Assert.DoesNotContain(seen, s => s.Rule == "st-count-drop");
    }

    [Fact]
    public void Training_miou_below_0_20_after_5000_means_not_learning() =>
        AssertRaised(Healthy with { TrainIoU = _ => 0.15, ValIoU = _ => 0.14 }, "miou-low", "train/mIoU", 5000, 5000);

    [Fact]
    public void Training_miou_decreasing_means_degrading()
    {
        // Flat at 0.70 from 15,000, then 0.02 lower at each evaluation from 20,000: the three
        // two-evaluation blocks first fall strictly, by 0.03 or more, at 21,500.
        var log = Healthy with { TrainIoU = t => t < 15_000 ? Healthy.TrainIoU(t) : t <= 20_000 ? 0.70 : 0.70 - 0.02 * ((t - 20_000) / 500), ValIoU = _ => 0.6 };
        AssertRaised(log, "miou-decreasing", "train/mIoU", 21_500, 19_000);
    }

    [Fact]
    public void A_train_val_gap_above_0_15_warns_and_above_0_20_turns_critical()
    {
        var log = Healthy with { ValIoU = t => Healthy.TrainIoU(t) - (t >= 35_000 ? 0.25 : t >= 30_000 ? 0.18 : 0.03) };
        var seen = RulesHarness.Run(log.Lines());
        var raised = Raised(seen, "miou-gap");
        Assert.Equal(("train/mIoU − val/mIoU", 30_000L, AlertSeverity.Warning), (raised.Metric, raised.AtStep, raised.Severity));
        var critical = seen.First(s => s.Rule == "miou-gap" && s.Severity == AlertSeverity.Critical);
        Assert.Equal((AlertChangeKind.Updated, 35_000L), (critical.Kind, critical.AtStep));
        Assert.Single(seen, s => s.Rule == "miou-gap" && s.Kind == AlertChangeKind.Raised);
    }

    [Fact]
    public void Validation_falling_while_training_rises_is_overfitting()
    {
        var log = Healthy with
        {
            TrainIoU = t => t < 25_000 ? 0.70 : 0.70 + 0.012 * ((t - 25_000) / 500),
            ValIoU = t => t < 25_000 ? 0.65 : 0.65 - 0.012 * ((t - 25_000) / 500),
        };
        AssertRaised(log, "val-miou-falling", "val/mIoU − train/mIoU", 27_000, 27_000);
    }

    [Fact]
    public void Validation_miou_not_improved_for_10000_iterations_hints_to_stop_early() =>
        AssertRaised(Healthy with { ValIoU = t => t <= 20_000 ? Healthy.TrainIoU(t) - 0.03 : 0.5 }, "val-miou-plateau", "val/mIoU", 30_000, 30_000, AlertSeverity.Info);

    [Fact]
    public void A_traceback_is_a_critical_crash_at_the_last_iteration()
    {
        var log = Healthy with
        {
            LastStep = 12_000,
            After = t => t == 12_000 ? ["Traceback (most recent call last):", "  File \"train.py\", line 300, in <module>", "ValueError: bad mask"] : [],
        };
        var raised = Raised(RulesHarness.Run(log.Lines()), "crash");
        Assert.Equal((12_000L, AlertSeverity.Critical), (raised.FirstStep!.Value, raised.Severity));
    }

    [Fact]
    public void Cuda_out_of_memory_is_critical()
    {
        var log = Healthy with
        {
            LastStep = 800,
            After = t => t == 800 ? ["RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity)"] : [],
        };
        Assert.Equal(AlertSeverity.Critical, Raised(RulesHarness.Run(log.Lines()), "out-of-memory").Severity);
    }

    [Fact]
    public void A_crash_alert_clears_when_training_goes_on_past_it()
    {
        var log = Healthy with
        {
            LastStep = 3000,
            After = t => t == 2000 ? ["Traceback (most recent call last):", "RuntimeError: boom"] : [],
        };
        var seen = RulesHarness.Run(log.Lines());
        Assert.Equal(2100, Assert.Single(seen, s => s.Rule == "crash" && s.Kind == AlertChangeKind.Resolved).AtStep);
    }

    [Fact]
    public void A_stalled_run_warns_until_data_flows_again()
    {
        var engine = new RunRules(new RuleSet(RulesHarness.Guide));
        RulesHarness.Feed(engine, ("Loss_CE", 100, 3.0));
        engine.ObserveStalled(true);
        var raised = Assert.Single(engine.TakeChanges());
        Assert.Equal(("stalled", AlertChangeKind.Raised, AlertSeverity.Warning), (raised.Alert.RuleId, raised.Kind, raised.Alert.Severity));
        engine.ObserveStalled(false);
        Assert.Equal(AlertChangeKind.Resolved, Assert.Single(engine.TakeChanges()).Kind);
    }

    [Fact]
    public void Cross_entropy_outside_the_warm_up_band_is_information_only()
    {
        var raised = Raised(RulesHarness.Run((Healthy with { CrossEntropy = t => t <= 1000 ? 6 : Healthy.CrossEntropy(t), LastStep = 1000 }).Lines()), "band-loss-ce");
        Assert.Equal((500L, 100L, AlertSeverity.Info), (raised.AtStep, raised.FirstStep!.Value, raised.Severity));
    }

    [Fact]
    public void The_demo_s_unstable_training_warns_then_turns_critical_and_crashes()
    {
        var seen = RulesHarness.Run(new S4GanLogSimulator(10_000, seed: 8, unstableFrom: 5000).Lines());
        Assert.Equal(5000, Raised(seen, "loss-d-high").AtStep);
        Assert.Equal(
            ["Loss_CE", "Loss_D", "Loss_FM", "Loss_ST"],
            seen.Where(s => s is { Rule: "loss-nonfinite", Kind: AlertChangeKind.Raised, FirstStep: 6000 }).Select(s => s.Metric).Order(StringComparer.Ordinal));
        Assert.Equal(AlertSeverity.Critical, Raised(seen, "crash").Severity);
    }
}
