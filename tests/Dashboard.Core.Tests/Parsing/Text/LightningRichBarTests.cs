using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>
/// Lightning's rich bar redirected to a file prints each epoch's final state once, with the metrics that do
/// not fit wrapped onto indented lines. The first log is the one issue 13 quotes from Lightning 2.6 on a GPU
/// machine (only its indentation is assumed); the second is made for the test in the same shape, with a
/// metric on the bar line itself, as narrower terminals print it.
/// </summary>
public sealed class LightningRichBarTests
{
    private const string IssueLog =
        "Epoch 5/5  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 56/56 0:00:00 • 0:00:00 328.41it/s v_num: 0\n"
        + "                                                                               train_loss: 0.055\n"
        + "                                                                               val_loss: 0.126\n"
        + "                                                                               val_acc: 0.953\n"
        + "`Trainer.fit` stopped: `max_epochs=6` reached.\n";

    [Fact]
    public void The_final_state_and_its_wrapped_lines_are_metrics_at_the_last_global_step()
    {
        var records = ParseLog(IssueLog);

        // Epoch 5 counted from 0, 56 batches each: the last batch is global step 6·56 − 1, as Lightning's loggers number it.
        Assert.Equal([("train_loss", 335, 0.055), ("val_loss", 335, 0.126), ("val_acc", 335, 0.953)], Points(records));
    }

    [Fact]
    public void Rate_and_v_num_are_no_metrics_and_a_line_after_the_block_is_no_continuation()
    {
        var records = ParseLog(IssueLog);

        Assert.DoesNotContain(records.Points, p => p.Key.Contains("it/s", StringComparison.Ordinal) || p.Key.Contains("v_num", StringComparison.Ordinal) || p.Key.Contains("max_epochs", StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_on_the_bar_line_and_its_wrapped_lines_belong_to_each_epoch()
    {
        var records = ParseLog(
            "Epoch 0/23 ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 98/98 0:00:22 • 0:00:00 4.44it/s v_num: 0 train/loss: 1.559          \n"
            + "                                                                               train/acc: 0.399                    \n"
            + "Epoch 1/23 ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 98/98 0:00:25 • 0:00:00 4.00it/s v_num: 0 train/loss: 1.2          \n"
            + "                                                                               train/acc: 0.5                    \n");

        Assert.Equal([("train/loss", 97, 1.559), ("train/acc", 97, 0.399), ("train/loss", 195, 1.2), ("train/acc", 195, 0.5)], Points(records));
    }
}
