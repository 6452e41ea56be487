using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>
/// tqdm bars (PyTorch Lightning's among them) redirected to a file: every redraw starts with '\r', the
/// line ends only when the bar closes. Only the last redraw counts; rate, v_num, times are not metrics.
/// </summary>
public sealed class ProgressBarLogTests
{
    private static readonly string LightningEpoch = string.Concat(
        "Epoch 3:   0%|          | 0/1000 [00:00<?, ?it/s, loss=0.251, v_num=1, val_acc=0.89]",
        "\rEpoch 3:  44%|████▍     | 440/1000 [01:21<01:43,  5.39it/s, loss=0.241, v_num=1, val_acc=0.89]",
        "\rEpoch 3:  45%|████▌     | 450/1000 [01:23<01:42,  5.37it/s, loss=0.234, v_num=1, val_acc=0.91]",
        "\n");

    [Fact]
    public void Only_the_last_redraw_counts_and_rate_and_v_num_are_no_metrics()
    {
        var records = ParseLog(LightningEpoch);

        Assert.Equal([("loss", 3, 0.234), ("val_acc", 3, 0.91)], Points(records));
    }

    [Fact]
    public void Lightning_epochs_with_validation_bars_plot_against_epochs()
    {
        var log = string.Concat(
            LightningEpoch,
            "\rValidation: 0it [00:00, ?it/s]\rValidation DataLoader 0: 100%|██████████| 63/63 [00:02<00:00, 25.12it/s]\n",
            "Epoch 4: 100%|██████████| 1000/1000 [03:05<00:00,  5.39it/s, loss=0.198, v_num=1, val_acc=0.93]\r\n",
            "`Trainer.fit` stopped: `max_epochs=5` reached.\n");

        var records = ParseLog(log);

        Assert.Equal([("loss", 3, 0.234), ("val_acc", 3, 0.91), ("loss", 4, 0.198), ("val_acc", 4, 0.93)], Points(records));
    }

    [Fact]
    public void A_bar_of_more_redraws_than_a_line_may_hold_still_gives_its_last_state()
    {
        var redraws = Enumerable.Range(0, 5000).Select(i => $"\rEpoch 7:  {i / 50}%|#         | {i}/5000 [00:{i % 60:00}<01:42,  5.37it/s, loss={1.0 / (i + 1):0.000}, v_num=3]");

        var records = ParseLog(string.Concat(redraws) + "\n");

        Assert.Equal([("loss", 7, 0.0)], Points(records));
    }

    [Fact]
    public void Bar_without_postfix_metrics_makes_no_points()
    {
        var records = ParseLog(" 45%|████▌     | 450/1000 [01:23<01:42,  5.37it/s]\r100%|██████████| 1000/1000 [03:05<00:00,  5.39it/s]\n");

        Assert.Empty(records.Points);
    }
}
