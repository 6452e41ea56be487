using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>
/// transformers 5.x Trainer stdout as people tail it (stdout and stderr in one file). No real file of this
/// shape could be fetched for the fixtures (no PyPI here): the dicts, the bar count 10/192 and the ESC[A of
/// the nested evaluation bar are the lines issue 13 quotes from a real run on a GPU machine; only how they
/// sit on one line ('\r' redraws, the bar's spacing and timing) is tqdm's documented format.
/// </summary>
public sealed class TransformersStdoutTests
{
    private const string Esc = "\x1b";

    private static readonly string Log = string.Concat(
        "  0%|          | 0/192 [00:00<?, ?it/s]\r  5%|▌         | 9/192 [00:00<00:16, 11.4it/s]\r  5%|▌         | 10/192 [00:00<00:15, 11.6it/s]",
        "{'loss': '0.692', 'grad_norm': '0.2613', 'learning_rate': '0.0004766', 'epoch': '0.1562'}\n",
        "\r  5%|▌         | 10/192 [00:00<00:15, 11.6it/s]\r 33%|███▎      | 64/192 [00:05<00:10, 11.9it/s]\n",
        // The evaluation bar draws below the training bar and moves the cursor back up: its count is not the step.
        "\r  0%|          | 0/8 [00:00<?, ?it/s]", Esc, "[A\r 88%|████████▊ | 7/8 [00:00<00:00, 80.1it/s]", Esc, "[A\r                                                  ", Esc, "[A",
        "\r{'eval_loss': '0.6617', 'eval_accuracy': '0.6641', 'eval_runtime': '0.083', 'epoch': '1'}\n",
        "\r100%|██████████| 192/192 [00:16<00:00, 11.9it/s]{'train_runtime': '2.217', 'train_loss': '0.3304', 'epoch': '3'}\n");

    [Fact]
    public void Quoted_values_are_metrics_at_the_training_bars_count()
    {
        var records = ParseLog(Log);

        Assert.Equal(
            [("loss", 10, 0.692), ("grad_norm", 10, 0.2613), ("learning_rate", 10, 0.0004766), ("epoch", 10, 0.1562)],
            Points(records).Where(p => p.Step == 10));
    }

    [Fact]
    public void Eval_dicts_take_the_training_step_not_the_evaluation_bars_count()
    {
        var records = ParseLog(Log);

        Assert.Equal(0.6617, ValueOf(records, "eval_loss", 64));
        Assert.Equal(0.6641, ValueOf(records, "eval_accuracy", 64));
        Assert.DoesNotContain(records.Points, p => p.Step is 7 or 8);
    }

    [Fact]
    public void The_closing_dict_is_the_runs_summary_and_its_end_never_its_config_or_a_curve()
    {
        var records = ParseLog(Log);

        Assert.Null(records.Config);
        Assert.NotNull(records.Summary);
        Assert.Equal(0.3304, (double)records.Summary["train_loss"]!);
        Assert.Equal(2.217, (double)records.Summary["train_runtime"]!);
        Assert.DoesNotContain(records.Points, p => p.Key.StartsWith("train_", StringComparison.Ordinal));
        Assert.Contains(records.Events, e => e.Kind == RunEventKind.Finished && e.Step == 192);
    }

    [Fact]
    public void Bars_with_a_description_are_not_the_training_bar()
    {
        var records = ParseLog(string.Concat(
            "Map: 100%|██████████| 1000/1000 [00:00<00:00, 9000.00 examples/s]\n",
            "\r  5%|▌         | 10/192 [00:00<00:15, 11.6it/s]{'loss': '0.692', 'grad_norm': '0.2613', 'learning_rate': '0.0004766', 'epoch': '0.1562'}\n"));

        Assert.Equal(0.692, ValueOf(records, "loss", 10));
    }

    [Fact]
    public void A_bar_that_starts_again_each_epoch_is_no_step_clock()
    {
        // A hand-written loop: tqdm over the batches of each epoch, then a Trainer-style dict with only the epoch.
        var records = ParseLog(string.Concat(
            "100%|██████████| 50/50 [00:01<00:00, 40.0it/s]\n{'loss': '0.9', 'epoch': '1'}\n",
            "  0%|          | 0/50 [00:00<?, ?it/s]\r100%|██████████| 50/50 [00:01<00:00, 40.0it/s]\n{'loss': '0.8', 'epoch': '2'}\n"));

        Assert.Equal([("loss", 50, 0.9), ("epoch", 50, 1.0), ("loss", 2000, 0.8)], Points(records));
    }

    [Fact]
    public void No_ansi_code_or_bar_text_becomes_a_metric()
    {
        var records = ParseLog(Log);

        Assert.Equal(["epoch", "eval_accuracy", "eval_loss", "eval_runtime", "grad_norm", "learning_rate", "loss"], records.Points.Select(p => p.Key).Distinct().Order());
    }
}
