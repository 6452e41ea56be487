using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class TextLogParserTests
{
    private static long LocalUnixMs(int year, int month, int day, int hour, int minute, int second, int millisecond = 0) =>
        new DateTimeOffset(DateTime.SpecifyKind(new DateTime(year, month, day, hour, minute, second, millisecond), DateTimeKind.Local)).ToUnixTimeMilliseconds();

    [Fact]
    public void S4gan_iteration_line_gives_its_five_metrics_with_keys_as_written()
    {
        var records = Parse("Iter 500/50000 | Loss_CE: 2.470 | Loss_FM: 0.037 | Loss_ST: 0.000 | Loss_D: 0.184 | ST_Count: 2");

        Assert.Equal(
            [
                new MetricPoint("Loss_CE", 500, 2.470, Now),
                new MetricPoint("Loss_FM", 500, 0.037, Now),
                new MetricPoint("Loss_ST", 500, 0.000, Now),
                new MetricPoint("Loss_D", 500, 0.184, Now),
                new MetricPoint("ST_Count", 500, 2, Now),
            ],
            records.Points);
        Assert.Equal(50000, records.TotalSteps);
        Assert.Empty(records.Events);
    }

    [Fact]
    public void Ldm_train_step_line_gives_its_metrics_dated_by_its_local_timestamp()
    {
        var records = Parse("2025-08-17 20:37:12,345 [Train Step] 100/50000: loss_simple: 0.47682, loss_vlb: 0.00000, total_loss: 0.47682, lr: 0.00005, ");

        var at = LocalUnixMs(2025, 8, 17, 20, 37, 12, 345);
        Assert.Equal(
            [
                new MetricPoint("loss_simple", 100, 0.47682, at),
                new MetricPoint("loss_vlb", 100, 0, at),
                new MetricPoint("total_loss", 100, 0.47682, at),
                new MetricPoint("lr", 100, 0.00005, at),
            ],
            records.Points);
        Assert.Equal(50000, records.TotalSteps);
    }

    [Fact]
    public void Vae_train_step_line_keeps_slashed_keys_and_negative_values()
    {
        var records = Parse(
            "2025-08-15 20:41:07,123 [Train Step] 35000/150000: train/total_loss: 1916.70959, train/logvar: 0.00000, train/kl_loss: 143662.89062, "
            + "train/nll_loss: 1916.56592, train/rec_loss: 0.02924, train/d_weight: 5000.00000, train/disc_factor: 0.00000, train/g_loss: -0.44393, lr: 0.00000, ");

        Assert.Equal(
            ["train/total_loss", "train/logvar", "train/kl_loss", "train/nll_loss", "train/rec_loss", "train/d_weight", "train/disc_factor", "train/g_loss", "lr"],
            records.Points.Select(p => p.Key));
        Assert.Equal([1916.70959, 0, 143662.89062, 1916.56592, 0.02924, 5000, 0, -0.44393, 0], records.Points.Select(p => p.Value));
        Assert.All(records.Points, p => Assert.Equal(35000, p.Step));
        Assert.All(records.Points, p => Assert.Equal(LocalUnixMs(2025, 8, 15, 20, 41, 7, 123), p.UnixMs));
        Assert.Equal(150000, records.TotalSteps);
    }

    [Theory]
    [InlineData("2025-08-15 20:41:07 [Train Step] 1/2: loss: 1", 0)]
    [InlineData("2025-08-15 20:41:07.5 [Train Step] 1/2: loss: 1", 500)]
    [InlineData("2025-08-15T20:41:07.123456 step 1 loss=1", 123)]
    [InlineData("[2025-08-15 20:41:07,250] step 1 loss=1", 250)]
    public void Timestamp_milliseconds_are_optional(string line, int millisecond)
    {
        var point = Assert.Single(Parse(line).Points);

        Assert.Equal(LocalUnixMs(2025, 8, 15, 20, 41, 7, millisecond), point.UnixMs);
    }

    [Fact]
    public void Timestamp_digits_never_become_metrics_or_steps()
    {
        var records = Parse("2025-08-15 20:41:07,123 - INFO - Resumed training", "2025-08-15 20:41:08,000 [Train Step] 7/10: loss: 1.5, ");

        var point = Assert.Single(records.Points);
        Assert.Equal(new MetricPoint("loss", 7, 1.5, LocalUnixMs(2025, 8, 15, 20, 41, 8)), point);
    }

    [Theory]
    [InlineData("step 7 loss=0.5 acc=0.25", 7, null)]
    [InlineData("Step 7/100: loss: 0.5, acc: 0.25", 7, 100L)]
    [InlineData("step: 7, loss: 0.5, acc: 0.25", 7, null)]
    [InlineData("step=7 loss=0.5 acc=0.25", 7, null)]
    [InlineData("global_step=7 loss=0.5 acc=0.25", 7, null)]
    [InlineData("Iteration 7 | loss: 0.5 | acc: 0.25", 7, null)]
    [InlineData("Epoch 7/100 | loss: 0.5 | acc: 0.25", 7, 100L)]
    [InlineData("epoch 7 - loss: 0.5 - acc: 0.25", 7, null)]
    [InlineData("INFO:root:step 7: loss: 0.5 acc: 0.25", 7, null)]
    [InlineData("Epoch [3/50], Step [7/500], loss: 0.5, acc: 0.25", 1007, 25000L)]
    [InlineData("loss=0.5 acc=0.25 step=7", 7, null)]
    public void Generic_step_markers_and_pairs_give_points(string line, long step, long? totalSteps)
    {
        var records = Parse(line);

        Assert.Equal([new MetricPoint("loss", step, 0.5, Now), new MetricPoint("acc", step, 0.25, Now)], records.Points);
        Assert.Equal(totalSteps, records.TotalSteps);
    }

    [Fact]
    public void Values_in_any_c_form_and_nan_or_infinity_are_kept()
    {
        var records = Parse("step 3 | a: 1e-05 | b: -0.44393 | c: .5 | d: nan | e: NaN | f: inf | g: -inf | h: Infinity | i: -INF | j: 2.5E+3 | k: +7");

        Assert.Equal(
            [1e-05, -0.44393, 0.5, double.NaN, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity, 2500, 7],
            records.Points.Select(p => p.Value));
    }

    [Fact]
    public void Pairs_whose_value_is_not_a_number_are_skipped_without_losing_the_next()
    {
        var records = Parse("step 3 | mode: train | time: 0.5s | loss: 0.25 | eta: 1:02:03 | lr: 1e-4");

        Assert.Equal([("loss", 0.25), ("lr", 1e-4)], records.Points.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Keys_are_trimmed_and_empty_or_overlong_keys_are_skipped()
    {
        var longKey = new string('k', 201);
        var records = Parse($"step 3 |   spaced key  : 1 | : 2 | {longKey}: 3 | {new string('k', 200)}: 4 | 12: 5");

        Assert.Equal(["spaced key", new string('k', 200)], records.Points.Select(p => p.Key));
    }

    [Fact]
    public void Lines_without_a_step_marker_outside_an_evaluation_block_are_ignored()
    {
        var records = Parse("Iter 5/10 | loss: 1", "Epoch time: 3.5", "lr = 0.001", "batch_size: 4");

        Assert.Equal(["loss"], records.Points.Select(p => p.Key));
    }

    [Theory]
    [InlineData("/usr/lib/python3/site-packages/torch/optim.py:12: UserWarning: step 5 loss: 0.3 detected")]
    [InlineData("WARNING:root:step 5 loss=0.3 is nan")]
    [InlineData("  File \"train.py\", line 12, in <module>")]
    [InlineData("    loss = model(x)")]
    [InlineData("Training with batch_size=4 for 5000 steps")]
    public void Warnings_tracebacks_and_prints_carry_no_points(string line)
    {
        Assert.Empty(Parse(line).Points);
    }

    [Fact]
    public void Leading_train_val_and_test_words_become_key_prefixes()
    {
        var records = Parse("step 5 | Train loss: 0.5 | Val acc: 0.75 | Test mIoU: 0.25 | Validation  Loss CE: 1 | trainer_steps: 3");

        Assert.Equal(["train/loss", "val/acc", "test/mIoU", "val/Loss CE", "trainer_steps"], records.Points.Select(p => p.Key));
    }

    [Fact]
    public void Carriage_return_progress_line_is_read_as_the_terminal_last_showed_it()
    {
        var records = Parse("Epoch 3: 10%|#  | 5/50 [loss=0.9]\rEpoch 3: 100%|##########| 50/50 [loss=0.5, v_num=1]\r");

        Assert.Equal([("loss", 3, 0.5)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }
}
