using Dashboard.Core.Jobs;

namespace Dashboard.Core.Tests.Jobs;

public sealed class EvaluatorMetricsTests
{
    [Fact]
    public void The_contract_file_gives_the_step_and_every_metric()
    {
        var parsed = EvaluatorMetrics.Parse("""{"step": 5000, "metrics": {"val/mIoU": 0.61, "val/IoU/road": 0.9, "val/loss": "NaN"}}""");

        Assert.Equal(5000, parsed.Step);
        Assert.Equal(["val/mIoU", "val/IoU/road", "val/loss"], parsed.Metrics.Select(m => m.Key));
        Assert.Equal(0.61, parsed.Metrics[0].Value);
        Assert.True(double.IsNaN(parsed.Metrics[2].Value));
    }

    [Fact]
    public void The_step_may_be_left_to_the_checkpoint() =>
        Assert.Null(EvaluatorMetrics.Parse("""{"metrics": {"acc": 1}}""").Step);

    [Theory]
    [InlineData("""{"step": 5000, "metrics": {"val/mIoU": """, "not JSON")]
    [InlineData("[1, 2]", "must be an object")]
    [InlineData("""{"step": -1, "metrics": {"a": 1}}""", "step must be a non-negative integer")]
    [InlineData("""{"step": 1.5, "metrics": {"a": 1}}""", "step must be a non-negative integer")]
    [InlineData("""{"step": 1}""", "\"metrics\" must be an object")]
    [InlineData("""{"metrics": {}}""", "is empty")]
    [InlineData("""{"metrics": {"a": "high"}}""", "a is \"high\", not a number")]
    [InlineData("""{"metrics": {"a": [1]}}""", "not a number")]
    [InlineData("\u0000\u0001garbage", "not JSON")]
    public void Garbage_is_refused_with_what_is_wrong(string json, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => EvaluatorMetrics.Parse(json)).Message);
}
