using Dashboard.Components.Model;

namespace Dashboard.Tests.Components;

public sealed class MetricFamiliesTests
{
    private static IReadOnlyList<string> ChartOf(IReadOnlyList<ChartSection> sections, string key) =>
        sections.SelectMany(s => s.Charts).Single(c => c.Keys.Contains(key)).Keys;

    [Fact]
    public void A_metric_that_appears_later_joins_its_familys_chart()
    {
        var before = MetricFamilies.Group(["Loss_D", "train/mIoU"]);
        var after = MetricFamilies.Group(["Loss_D", "train/mIoU", "val/mIoU"]);

        Assert.Equal(["train/mIoU"], ChartOf(before, "train/mIoU"));
        Assert.Equal(["train/mIoU", "val/mIoU"], ChartOf(after, "val/mIoU"));
        Assert.Equal(before.Select(s => s.Family), after.Select(s => s.Family));
        Assert.Equal(2, after.SelectMany(s => s.Charts).Count());
    }

    [Fact]
    public void Validation_first_still_draws_train_before_val_and_learning_rates_share_one_chart()
    {
        var sections = MetricFamilies.Group(["val/loss", "lr_D", "train/loss", "lr"]);

        Assert.Equal([MetricFamily.Losses, MetricFamily.LearningRate], sections.Select(s => s.Family));
        Assert.Equal(["train/loss", "val/loss"], ChartOf(sections, "val/loss"));
        Assert.Equal(["lr_D", "lr"], ChartOf(sections, "lr"));
    }
}
