using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>
/// transformers.Trainer (4.x, bare numbers) with stdout and stderr in one file: its banner, its tqdm bar
/// (stderr, '\r' redraws) and <c>print(logs)</c> of each log dict (stdout). The dicts name no step, only a
/// rounded epoch: they are placed at the training bar's count as last drawn, the Trainer's global step,
/// training and eval alike; a dict before any bar falls back to the epoch in thousandths (0.12 → 120).
/// </summary>
public sealed class HuggingFaceTrainerLogTests
{
    private const string Bar = "\r  5%|▌         | 500/9375 [01:05<19:20,  7.65it/s]\r  5%|▌         | 501/9375 [01:05<19:21,  7.64it/s]";

    private static readonly string Log = string.Join('\n',
        "***** Running training *****",
        "  Num examples = 25,000",
        "  Num Epochs = 3",
        "  Instantaneous batch size per device = 8",
        "  Total train batch size (w. parallel, distributed & accumulation) = 8",
        "  Gradient Accumulation steps = 1",
        "  Total optimization steps = 9,375",
        "  Number of trainable parameters = 66,955,010",
        "  0%|          | 0/9375 [00:00<?, ?it/s]\r  0%|          | 1/9375 [00:00<1:02:11,  2.51it/s]" + Bar + "\r                                                   \r{'loss': 0.6931, 'grad_norm': 1.2345, 'learning_rate': 4.9467e-05, 'epoch': 0.16}",
        "\r 10%|█         | 1000/9375 [02:10<18:13,  7.65it/s]{'loss': 0.41, 'grad_norm': 1.23, 'learning_rate': 4.9e-05, 'epoch': 0.32}",
        " 33%|███▎      | 3125/9375 [06:48<13:36,  7.65it/s]",
        "***** Running Evaluation *****",
        "  Num examples = 25000",
        "  Batch size = 8",
        "{'eval_loss': 0.2345, 'eval_accuracy': 0.9123, 'eval_runtime': 45.67, 'eval_samples_per_second': 547.4, 'eval_steps_per_second': 68.43, 'epoch': 1.0}",
        "Saving model checkpoint to out/checkpoint-3125",
        "{'train_runtime': 1234.5, 'train_samples_per_second': 60.75, 'train_steps_per_second': 7.594, 'train_loss': 0.3021, 'epoch': 3.0}",
        "");

    [Fact]
    public void Training_dicts_are_placed_at_the_training_bars_count_with_the_epoch_as_a_curve()
    {
        var records = ParseLog(Log);

        Assert.Equal(
            [("loss", 501, 0.6931), ("grad_norm", 501, 1.2345), ("learning_rate", 501, 4.9467e-05), ("epoch", 501, 0.16)],
            Points(records).Where(p => p.Step == 501));
        Assert.Equal(0.41, ValueOf(records, "loss", 1000));
    }

    [Fact]
    public void A_dict_before_any_bar_is_placed_at_the_epoch_in_thousandths_and_the_epoch_is_no_metric()
    {
        var records = ParseLog("{'loss': 0.41, 'learning_rate': 4.9e-05, 'epoch': 0.12}");

        Assert.Equal([("loss", 120, 0.41), ("learning_rate", 120, 4.9e-05)], Points(records));
    }

    [Fact]
    public void Eval_dicts_take_the_training_step_and_the_closing_dict_is_the_summary()
    {
        var records = ParseLog(Log);

        Assert.Equal(0.2345, ValueOf(records, "eval_loss", 3125));
        Assert.Equal(0.9123, ValueOf(records, "eval_accuracy", 3125));
        Assert.Equal(0.3021, (double)records.Summary!["train_loss"]!);
        Assert.DoesNotContain(records.Points, p => p.Key == "train_loss");
    }

    [Fact]
    public void Banner_and_progress_bar_make_no_points_and_no_config()
    {
        var records = ParseLog(Log);

        Assert.Equal(4 + 4 + 6, records.Points.Count);
        Assert.Null(records.Config);
        Assert.Null(records.TotalSteps);
        Assert.Contains(records.Events, e => e.Kind == RunEventKind.CheckpointSaved && e.Step == 3125);
    }

    [Fact]
    public void A_dict_that_names_its_step_is_placed_at_that_step()
    {
        var records = ParseLog("{'loss': 0.41, 'learning_rate': 4.9e-05, 'epoch': 0.12, 'step': 375}");

        Assert.Equal([("loss", 375, 0.41), ("learning_rate", 375, 4.9e-05), ("epoch", 375, 0.12)], Points(records));
    }
}
