using System.Text.Json.Nodes;
using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using Dashboard.Core.Rules;

namespace Dashboard.Core.Tests.Reports;

public sealed class ReportBuilderTests
{
    [Fact]
    public void Throughput_counts_training_steps_between_logged_lines_not_lines()
    {
        // One line every 100 steps, 2 s apart: 50 steps/s, whatever the number of lines.
        var run = ReportData.Run("vae", [ReportData.Metric("train/total_loss", s => 1000.0 / s, from: 100, to: 10_000, every: 100, secondsPerLine: 2)],
            config: JsonNode.Parse("""{"trainer": {"batch_size": 2, "lr": 5e-06}}""")!.AsObject());

        var throughput = ReportBuilder.Describe(run).Throughput!;

        Assert.Equal(9_900, throughput.TimedSteps);
        Assert.Equal(100, throughput.LoggedLines);
        Assert.Equal(100, throughput.LogEvery);
        Assert.Equal(99 * 2, throughput.Seconds, 9);
        Assert.Equal(9_900 / 198.0, throughput.StepsPerSecond, 9);
        Assert.Equal(9_900 / 198.0 * 3600, throughput.StepsPerHour, 6);
        Assert.Equal(2, throughput.BatchSize);
        Assert.Equal("trainer.batch_size", throughput.BatchSizeKey);
        Assert.Equal(2 * 9_900 / 198.0, throughput.SamplesPerSecond!.Value, 9);
    }

    [Fact]
    public void Wall_time_comes_from_the_most_logged_metric_not_from_untimed_evaluation_lines()
    {
        // Evaluation lines without a timestamp get the time they were read, long after the training.
        var late = ReportData.T0.AddDays(400).ToUnixTimeMilliseconds();
        var evaluation = new MetricInput("val/mIoU", [new(500, 0.3, late), new(1000, 0.4, late + 1000)]);
        var run = ReportData.Run("s4", [ReportData.Metric("Loss_CE", s => 4.0 / s, secondsPerLine: 2), evaluation]);

        var timing = ReportBuilder.Describe(run).Timing!;

        Assert.Equal(ReportData.T0, timing.Start);
        Assert.Equal(99 * 2, timing.WallSeconds, 9);
    }

    [Fact]
    public void Log_without_timestamps_read_in_one_go_gets_no_throughput_and_says_why()
    {
        var readAt = ReportData.T0.ToUnixTimeMilliseconds();
        var points = Enumerable.Range(1, 50).Select(i => new StoredPoint(i * 100L, 4.0 / i, readAt + i / 20)).ToList();
        var run = ReportData.Run("untimed", [new MetricInput("Loss_CE", points)]);

        var report = ReportBuilder.ForRun(run, ReportData.T0);

        Assert.Null(report.Runs[0].Throughput);
        Assert.Null(report.Runs[0].Timing);
        Assert.Contains(report.Conclusions, f => f.Text.StartsWith("No throughput or wall time is given", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_batch_size_there_is_no_samples_per_second()
    {
        var throughput = ReportBuilder.Describe(ReportData.Run("r", [ReportData.Metric("loss", s => 1.0 / s)])).Throughput!;

        Assert.Null(throughput.BatchSize);
        Assert.Null(throughput.SamplesPerSecond);
    }

    [Fact]
    public void Best_validation_IoU_is_the_highest_and_the_checkpoint_saved_at_its_step_is_kept()
    {
        var iou = ReportData.Points("val/mIoU", (500, 0.32), (1000, 0.55), (1500, 0.61), (2000, 0.58));
        var loss = ReportData.Points("val/loss", (500, 0.9), (1000, 0.7), (1500, 0.72), (2000, 0.8));
        var events = new[] { 500L, 1000, 1500, 2000 }.Select(s => new RunEvent(RunEventKind.CheckpointSaved, s, 0, $"Checkpoint saved: checkpoint_{s}.pth")).ToList();

        var report = ReportBuilder.Describe(ReportData.Run("seg", [iou, loss], events: events));

        Assert.Equal("val/mIoU", report.BestEvaluation!.Key);
        Assert.Equal(new ReportPoint(1500, 0.61), report.BestEvaluation.Best);
        Assert.Equal("checkpoint_1500.pth", report.Checkpoint!.Name);
        Assert.Equal(1500, report.Checkpoint.Step);
    }

    [Fact]
    public void Best_validation_loss_is_the_lowest_and_a_best_model_file_wins()
    {
        var loss = ReportData.Points("val/loss", (1, 16.87), (10, 15.14), (20, 14.30), (50, 14.17));
        var events = new List<RunEvent>
        {
            new(RunEventKind.CheckpointSaved, 10, 0, "Checkpoint saved: checkpoint_epoch_10.pth"),
            new(RunEventKind.CheckpointSaved, null, 0, "Checkpoint saved: checkpoints_50epochs/best_model.pth"),
            new(RunEventKind.CheckpointSaved, 50, 0, "Checkpoint saved: checkpoint_epoch_50.pth"),
        };

        var report = ReportBuilder.Describe(ReportData.Run("tracks", [loss], events: events, totalSteps: 50));

        Assert.Equal(new ReportPoint(50, 14.17), report.BestEvaluation!.Best);
        Assert.Equal("checkpoints_50epochs/best_model.pth", report.Checkpoint!.Name);
    }

    [Fact]
    public void Alerts_raised_during_the_run_become_conclusions_with_their_advice()
    {
        var alerts = new[]
        {
            ReportData.Alert("ce-not-learning", "Loss_CE", AlertSeverity.Warning, "Loss_CE stays above 4.0 after 5000 iterations", "Model not learning: check the labels and the learning rate.", 5000, 7000),
        };
        var run = ReportData.Run("s4gan", [ReportData.Metric("Loss_CE", _ => 4.2)], alerts: alerts);

        var report = ReportBuilder.ForRun(run, ReportData.T0);

        var alert = Assert.Single(report.Conclusions, f => f.Kind == Finding.Alert);
        Assert.Equal("warning", alert.Severity);
        Assert.Contains("Loss_CE stays above 4.0 after 5000 iterations", alert.Text);
        Assert.Contains("steps 5000–7000", alert.Text);
        Assert.Contains(report.Conclusions, f => f.Kind == Finding.Recommendation && f.Text == "Model not learning: check the labels and the learning rate.");
        Assert.Equal(alerts, report.Runs[0].Alerts);
    }

    [Fact]
    public void Information_alerts_are_observations_and_recommend_nothing()
    {
        var alerts = new[]
        {
            ReportData.Alert("band-loss-ce", "Loss_CE", AlertSeverity.Info, "Loss_CE is outside the guide's expected range for this phase", "Expected: 1.5–2.5 to 5,000.", 1000, 3000),
        };
        var run = ReportData.Run("s4gan", [ReportData.Metric("Loss_CE", _ => 2.7)], alerts: alerts);

        var report = ReportBuilder.ForRun(run, ReportData.T0);

        Assert.Equal("info", Assert.Single(report.Conclusions, f => f.Kind == Finding.Alert).Severity);
        Assert.DoesNotContain(report.Conclusions, f => f.Kind == Finding.Recommendation && f.Text.Contains("Expected", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_alerts_or_notable_figures_there_is_no_praise()
    {
        var report = ReportBuilder.ForRun(ReportData.Run("quiet", [ReportData.Metric("loss", _ => 1.0)]), ReportData.T0);

        Assert.DoesNotContain(report.Conclusions, f => f.Text.Contains("excellent", StringComparison.OrdinalIgnoreCase) || f.Text.Contains("success", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Learning_rate_printed_as_zero_is_called_a_precision_problem_citing_the_config()
    {
        var run = ReportData.Run("vae", [ReportData.Metric("lr", _ => 0), ReportData.Metric("train/total_loss", s => 1.0 / s)],
            config: JsonNode.Parse("""{"lr": 5e-06, "min_lr": 5e-07}""")!.AsObject());

        var lr = Assert.Single(ReportBuilder.Describe(run).LearningRates);

        Assert.Equal(0, lr.Max.Value);
        Assert.Contains("precision", lr.Note);
        Assert.Contains("lr = 5e-6", lr.Note);
    }

    [Fact]
    public void Milestones_fall_every_tenth_of_the_total_steps()
    {
        var run = ReportData.Run("r", [ReportData.Metric("loss", s => s / 100.0, from: 100, to: 10_000)], totalSteps: 10_000);

        var milestones = ReportBuilder.Describe(run).Milestones;

        Assert.Equal(Enumerable.Range(1, 10).Select(k => k * 1000L), milestones.Select(m => m.Step));
        Assert.Equal("50%", milestones[4].Label);
        Assert.Equal(50.0, Assert.Single(milestones[4].Values).Value);
    }

    [Fact]
    public void Resumed_stretch_of_a_long_run_gets_milestones_every_10000_steps()
    {
        var run = ReportData.Run("vae", [ReportData.Metric("train/total_loss", s => s, from: 35_000, to: 104_800)], totalSteps: 150_000);

        var milestones = ReportBuilder.Describe(run).Milestones;

        Assert.Equal(new long[] { 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000 }, milestones.Select(m => m.Step));
    }

    [Fact]
    public void Comparison_lists_config_differences_side_by_side_and_does_not_credit_one_of_several()
    {
        var a = ReportData.Run("session1", [ReportData.Metric("loss", s => 10.0 / s, to: 50_000)], JsonNode.Parse("""{"batch_size": 32, "train_num_steps": 50000, "save_every": 1000}""")!.AsObject(), 50_000, id: 1);
        var b = ReportData.Run("session2", [ReportData.Metric("loss", s => 20.0 / s, to: 10_000)], JsonNode.Parse("""{"batch_size": 16, "train_num_steps": 10000, "save_every": 2000}""")!.AsObject(), 10_000, id: 2);

        var report = ReportBuilder.ForComparison([a, b], ReportData.T0);

        Assert.Equal(Report.ComparisonKind, report.Kind);
        var batch = Assert.Single(report.Comparison!.ConfigDifferences, d => d.Key == "batch_size");
        Assert.Equal(new[] { "32", "16" }, batch.Values);
        Assert.Equal(3, report.Comparison.ConfigDifferences.Count);
        Assert.Contains(report.Conclusions, f => f.Text.Contains("differ in 3 settings") && f.Text.Contains("cannot be put down to any one"));
        Assert.Contains(report.Conclusions, f => f.Text.Contains("stopped at different steps"));
        var loss = Assert.Single(report.Comparison.Metrics);
        Assert.Equal(10.0 / 50_000, loss.Values[0]!.Final.Value, 12);
        Assert.Equal(20.0 / 10_000, loss.Values[1]!.Final.Value, 12);
    }

    [Fact]
    public void Comparison_needs_two_runs() =>
        Assert.Throws<ArgumentException>(() => ReportBuilder.ForComparison([ReportData.Run("one", [])], ReportData.T0));

    [Fact]
    public void Charts_cover_every_metric_family_and_the_loss_distribution()
    {
        var run = ReportData.Run("s4", [
            ReportData.Metric("Loss_CE", s => 4.0 / s), ReportData.Metric("train/mIoU", s => s / 20_000.0), ReportData.Metric("val/mIoU", s => s / 21_000.0),
            ReportData.Metric("LR_G", s => 2.5e-4), ReportData.Metric("LR_D", s => 1e-4), ReportData.Metric("ST_Count", s => 3)]);

        var charts = ReportBuilder.ForRun(run, ReportData.T0).Charts;

        Assert.Equal(["Loss_CE", "mIoU", "ST_Count", "Learning rate", "Distribution of Loss_CE"], charts.Select(c => c.Title));
        Assert.Equal(["train/mIoU", "val/mIoU"], charts[1].Series.Select(s => s.Key));
        var histogram = charts[^1].Histogram!;
        Assert.Equal(100, histogram.Counts.Sum());
        Assert.Equal(4.0 / 10_000, histogram.Min, 12);
        Assert.Equal(4.0 / 100, histogram.Max, 12);
    }
}
