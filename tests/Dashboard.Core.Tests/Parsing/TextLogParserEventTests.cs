using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class TextLogParserEventTests
{
    [Theory]
    [InlineData("Traceback (most recent call last):", RunEventKind.Crash)]
    [InlineData("RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity)", RunEventKind.OutOfMemory)]
    [InlineData("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.2 GiB. GPU 0 has a total capacity of 7.79 GiB", RunEventKind.OutOfMemory)]
    [InlineData("Killed", RunEventKind.Crash)]
    [InlineData("./train.sh: line 3: 4242 Killed                  python train.py --config s4gan.yaml", RunEventKind.Crash)]
    [InlineData("Training finished.", RunEventKind.Finished)]
    [InlineData("Training complete!", RunEventKind.Finished)]
    [InlineData("2025-08-18 11:22:00,000 Training completed in 15h", RunEventKind.Finished)]
    [InlineData("Saved checkpoint to checkpoints/checkpoint_5000.pth", RunEventKind.CheckpointSaved)]
    [InlineData("Saving model to results/model-30.pt", RunEventKind.CheckpointSaved)]
    [InlineData("✓ Saving best model to checkpoints/best_model.pth", RunEventKind.CheckpointSaved)]
    public void Event_lines_become_one_event_at_the_current_step(string line, RunEventKind kind)
    {
        var records = Parse("Iter 4900/50000 | Loss_CE: 1.0", line);

        var runEvent = Assert.Single(records.Events);
        Assert.Equal(kind, runEvent.Kind);
        Assert.Equal(4900, runEvent.Step);
        Assert.Single(records.Points);
    }

    [Theory]
    [InlineData("Worker 3 was Killed by the scheduler, restarting it")]
    [InlineData("killed 4 stale processes")]
    [InlineData("Iter 5000/50000 | Killed_count: 2")]
    public void The_word_killed_inside_a_sentence_is_no_crash(string line)
    {
        var records = Parse("Iter 4900/50000 | Loss_CE: 1.0", line);
        Assert.DoesNotContain(records.Events, e => e.Kind == RunEventKind.Crash);
    }

    [Fact]
    public void Event_message_is_the_line_text_without_its_timestamp()
    {
        var runEvent = Assert.Single(Parse("2025-08-18 11:22:00,000 Saved checkpoint to /x/model-30.pt").Events);

        Assert.Equal("Saved checkpoint to /x/model-30.pt", runEvent.Message);
        Assert.Null(runEvent.Step);
        Assert.Equal(new DateTimeOffset(new DateTime(2025, 8, 18, 11, 22, 0, DateTimeKind.Local)).ToUnixTimeMilliseconds(), runEvent.UnixMs);
    }

    [Theory]
    [InlineData("Saving samples to results/sample-5.png")]
    [InlineData("Loading checkpoint from checkpoints/latest_checkpoint.pth")]
    [InlineData("Evaluating...")]
    [InlineData("Iter 500/50000 | evaluation_loss: 0.5")]
    public void Lines_that_only_look_like_events_are_not(string line)
    {
        Assert.Empty(Parse(line).Events);
    }

    [Fact]
    public void Event_line_with_a_step_marker_carries_that_step_and_its_metrics()
    {
        var records = Parse("Training finished | step: 50000 | loss: 0.24");

        Assert.Equal(new RunEvent(RunEventKind.Finished, 50000, Now, "Training finished | step: 50000 | loss: 0.24"), Assert.Single(records.Events));
        Assert.Equal(new MetricPoint("loss", 50000, 0.24, Now), Assert.Single(records.Points));
    }

    [Fact]
    public void Out_of_memory_line_naming_both_forms_is_one_event_and_no_metric()
    {
        var records = Parse("step 3", "torch.OutOfMemoryError: CUDA out of memory. reserved: 7.2 GiB, free: 3.1 MiB");

        Assert.Equal(RunEventKind.OutOfMemory, Assert.Single(records.Events).Kind);
        Assert.Empty(records.Points);
    }
}
