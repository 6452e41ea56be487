using Dashboard.Core.Jobs;

namespace Dashboard.Core.Tests.Jobs;

public sealed class ProgressLineTests
{
    [Theory]
    [InlineData("12/50", 12, 50)]
    [InlineData("  batch 3 / 40 done", 3, 40)]
    [InlineData("Evaluating: 100%|██████████| 50/50 [00:03<00:00, 14.2it/s]", 50, 50)]
    [InlineData("epoch 1/3, batch 7/10", 7, 10)]
    public void A_count_over_a_total_is_progress(string line, int done, int total) =>
        Assert.Equal(new JobProgress(done, total), ProgressLine.TryParse(line));

    [Theory]
    [InlineData("2025/08/15 20:41:07 loading")]
    [InlineData("val/mIoU: 0.61")]
    [InlineData("loaded /data/1/2/model.pt")]
    [InlineData("60/50")]
    [InlineData("3/0")]
    [InlineData("ratio 0.5/1.0")]
    [InlineData("")]
    public void Dates_paths_keys_and_impossible_counts_are_not(string line) =>
        Assert.Null(ProgressLine.TryParse(line));

    [Fact]
    public void Fraction_is_clamped() => Assert.Equal(0.24, new JobProgress(12, 50).Fraction, 9);
}
