using System.Text;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>
/// The API refuses metric names over 200 characters, so a longer key from a text log must not be stored:
/// its pair is skipped and counted as skipped bytes, and the pairs around it are kept.
/// </summary>
public sealed class LongMetricKeyTests
{
    private static readonly string LongKey = new('k', 201);

    [Theory]
    [InlineData("Iter 100/1000 | loss: 0.5 | {0}: 1.0 | acc: 0.9")]
    [InlineData("step 100 loss=0.5 {0}=1.0 acc=0.9")]
    [InlineData("{{'loss': 0.5, '{0}': 1.0, 'acc': 0.9, 'step': 100}}")]
    [InlineData("step 100 loss 0.5 {0} 1.0 acc 0.9")]
    public void A_key_over_200_characters_is_skipped_and_counted_and_its_neighbours_kept(string format)
    {
        var records = ParseLog(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, LongKey));

        Assert.Equal([("loss", 100, 0.5), ("acc", 100, 0.9)], Points(records));
        Assert.Equal(Encoding.UTF8.GetByteCount(LongKey), records.SkippedBytes);
    }

    [Fact]
    public void A_key_of_200_characters_is_kept_as_is()
    {
        var key = new string('k', 200);

        var records = ParseLog($"Iter 100/1000 | {key}: 1.0");

        Assert.Equal([(key, 100, 1.0)], Points(records));
    }

    [Fact]
    public void A_prefix_that_would_take_a_key_past_200_characters_skips_it()
    {
        var key = new string('k', 199);

        var records = ParseLog($"Iter(train) [100/1000] loss: 0.5\nIter(val) [10/50] {key}: 1.0 acc: 0.9");

        Assert.Equal([("loss", 100, 0.5), ("val/acc", 100, 0.9)], Points(records));
        Assert.Equal(199, records.SkippedBytes);
    }
}
