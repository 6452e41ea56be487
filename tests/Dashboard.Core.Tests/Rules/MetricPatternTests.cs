using Dashboard.Core.Rules;

namespace Dashboard.Core.Tests.Rules;

public sealed class MetricPatternTests
{
    [Theory]
    [InlineData("*loss*", "train/total_loss", true)]
    [InlineData("*loss*", "Loss_CE", true)]
    [InlineData("Loss_D", "loss_d", true)]
    [InlineData("*d_loss", "train/d_loss", true)]
    [InlineData("*d_loss", "train/d_loss_fake", false)]
    [InlineData("val/?IoU", "val/mIoU", true)]
    [InlineData("val/mIoU", "val/mIoU/extra", false)]
    [InlineData("", "x", false)]
    public void Patterns_match_whole_names_ignoring_case(string pattern, string key, bool expected) =>
        Assert.Equal(expected, MetricPattern.Matches(pattern, key));

    [Theory]
    [InlineData("train/mIoU", "val/mIoU")]
    [InlineData("loss", "val_loss")]
    [InlineData("train_loss", "eval_loss")]
    [InlineData("Training Loss", "Validation Loss")]
    public void Training_and_validation_twins_share_a_name(string train, string val) =>
        Assert.Equal(MetricPattern.TwinName(train), MetricPattern.TwinName(val));

    [Fact]
    public void Different_metrics_are_not_twins() =>
        Assert.NotEqual(MetricPattern.TwinName("train/kl_loss"), MetricPattern.TwinName("val/rec_loss"));
}
