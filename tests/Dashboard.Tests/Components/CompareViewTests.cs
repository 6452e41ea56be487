using System.Text.Json.Nodes;
using Dashboard.Components.Model;
using Dashboard.Storage;

namespace Dashboard.Tests.Components;

public sealed class CompareViewTests
{
    private static RunDetail Run(long id, string name, string config, params MetricSummary[] metrics) => new(
        new RunSummary(id, name, "sweep", $"/runs/sweep/{name}.log", RunStatus.Running, 500, 1000, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, []),
        JsonNode.Parse(config)!.AsObject(), metrics, 0, []);

    private static MetricSummary Metric(string key, (long Step, double Value) last, (long Step, double Value) min, (long Step, double Value) max) =>
        new(key, 10, new StepValue(0, 1), new StepValue(last.Step, last.Value), new StepValue(min.Step, min.Value), new StepValue(max.Step, max.Value));

    [Theory]
    [InlineData("3,7,12", new long[] { 3, 7, 12 })]
    [InlineData(" 7, 3 ,7,,", new long[] { 7, 3 })]
    [InlineData("", new long[0])]
    [InlineData(null, new long[0])]
    public void The_address_names_the_runs_in_order_once_each(string? text, long[] ids)
    {
        var (parsed, problem) = CompareView.ParseIds(text);
        Assert.Null(problem);
        Assert.Equal(ids, parsed);
    }

    [Theory]
    [InlineData("3,x")]
    [InlineData("3,-1")]
    [InlineData("0")]
    [InlineData("1;DROP TABLE runs")]
    [InlineData("99999999999999999999")]
    public void A_garbled_address_is_a_problem_that_quotes_the_part_not_a_crash(string text)
    {
        var (ids, problem) = CompareView.ParseIds(text);
        Assert.Empty(ids);
        Assert.Contains("is not a run id", problem);
    }

    [Fact]
    public void More_runs_than_a_page_draws_are_refused()
    {
        var (ids, problem) = CompareView.ParseIds(string.Join(',', Enumerable.Range(1, CompareView.MaxRuns + 1)));
        Assert.Empty(ids);
        Assert.Contains($"At most {CompareView.MaxRuns}", problem);
    }

    [Fact]
    public void Best_follows_the_metrics_direction_and_settings_that_differ_are_marked()
    {
        var a = Run(1, "lr-001", """{"lr": 0.01, "batch_size": 8, "model": {"depth": 50}}""",
            Metric("Loss_CE", (500, 0.4), (300, 0.2), (100, 3.0)), Metric("val/mIoU", (500, 0.55), (100, 0.1), (400, 0.61)));
        var b = Run(2, "lr-002", """{"lr": 0.02, "batch_size": 8, "model": {"depth": 101}, "amp": true}""",
            Metric("Loss_CE", (300, 0.9), (300, 0.9), (100, 3.1)));

        var view = CompareView.Build([a, b], null);

        Assert.Equal(["Loss_CE", "val/mIoU"], view.Metrics.Select(m => m.Key));
        var loss = view.Metrics[0].Cells;
        Assert.Equal(new CompareCell(0.4, 500, 0.2, 300), loss[0]);
        Assert.Equal(new CompareCell(0.9, 300, 0.9, 300), loss[1]);
        var miou = view.Metrics[1].Cells;
        Assert.Equal(new CompareCell(0.55, 500, 0.61, 400), miou[0]);
        Assert.Equal(("0.55", "0.61"), (miou[0]!.FinalText, miou[0]!.BestText));
        Assert.Null(miou[1]);

        Assert.Equal(["amp", "lr", "model.depth"], view.Config.Where(c => c.Differs).Select(c => c.Key));
        Assert.Equal([null, "true"], view.Config.Single(c => c.Key == "amp").Values);
        Assert.False(view.Config.Single(c => c.Key == "batch_size").Differs);

        // A run draws a line on the charts of the metrics it has, in its own colour on each.
        var lossChart = view.Sections.SelectMany(s => s.Charts).Single(c => c.Keys.Contains("Loss_CE"));
        Assert.Equal([(1L, "lr-001"), (2L, "lr-002")], view.SeriesOf(lossChart).Select(s => (s.RunId, s.Name)));
        var miouChart = view.Sections.SelectMany(s => s.Charts).Single(c => c.Keys.Contains("val/mIoU"));
        var only = Assert.Single(view.SeriesOf(miouChart));
        Assert.Equal(view.SeriesOf(lossChart)[0].Color, only.Color);
    }

    [Fact]
    public void The_address_can_keep_to_some_metrics()
    {
        var a = Run(1, "a", "{}", Metric("Loss_CE", (1, 1), (1, 1), (1, 1)), Metric("Loss_D", (1, 1), (1, 1), (1, 1)));
        var view = CompareView.Build([a, a with { Run = a.Run with { Id = 2 } }], CompareView.ParseMetrics("Loss_D, nope"));
        Assert.Equal(["Loss_D"], view.Metrics.Select(m => m.Key));
    }

    [Fact]
    public void Each_runs_lines_count_relative_time_from_its_own_start()
    {
        var a = Run(1, "a", "{}", Metric("Loss_CE", (1, 1), (1, 1), (1, 1)));
        var b = a with { Run = a.Run with { Id = 2, Name = "b", StartedAt = DateTimeOffset.UnixEpoch.AddHours(5) } };
        var view = CompareView.Build([a, b], null);
        var spec = MetricFamilies.Group(["Loss_CE"]).Single().Charts.Single();
        Assert.Equal([(1L, 0L), (2L, 5 * 3_600_000L)], view.SeriesOf(spec).Select(s => (s.RunId, s.StartedMs)));
    }

    [Fact]
    public void The_hyperparameter_plot_has_the_numeric_settings_that_differ_then_the_metric()
    {
        var a = Run(1, "a", """{"lr": 0.01, "batch_size": 8, "optimizer": "adam", "seed": 1}""", Metric("Loss_CE", (500, 0.4), (300, 0.2), (100, 3.0)));
        var b = Run(2, "b", """{"lr": 0.02, "batch_size": 8, "optimizer": "sgd", "seed": 2}""", Metric("Loss_CE", (500, 0.9), (400, 0.5), (100, 3.0)));
        var c = Run(3, "c", """{"lr": "1e-3", "batch_size": 16}""", Metric("Loss_CE", (500, double.NaN), (400, double.NaN), (100, double.NaN)));

        var plot = CompareView.Build([a, b, c], null).Parallel("Loss_CE")!;

        // Run c's loss is not finite: it is left out, and with it the settings only it lacked.
        Assert.Equal(["lr", "seed", "Loss_CE"], plot.Labels);
        Assert.Equal([("0.01", "0.02"), ("1", "2"), ("0.2", "0.5")], plot.Ranges);
        Assert.Equal([(1L, "a"), (2L, "b")], plot.Lines.Select(l => (l.RunId, l.Name)));
        // Each axis scaled to its own range; the lower loss is the better run, drawn in the brightest colour.
        Assert.Equal([0.0, 0.0, 0.0], plot.Lines[0].Heights);
        Assert.Equal([1.0, 1.0, 1.0], plot.Lines[1].Heights);
        Assert.Equal(["0.01", "1", "0.2"], plot.Lines[0].Values);
        Assert.Equal(("#fde725", "#440154"), (plot.Lines[0].Color, plot.Lines[1].Color));
        Assert.Null(CompareView.Build([a, a with { Run = a.Run with { Id = 9 } }], null).Parallel("Loss_CE"));
        Assert.Null(CompareView.Build([a, b], null).Parallel("no-such-metric"));
    }
}
