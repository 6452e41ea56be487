using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class TextLogParserEvaluationTests
{
    private const string Rule = "============================================================";

    private static readonly string[] Block =
    [
        "Iter 500/50000 | Loss_CE: 2.470 | Loss_FM: 0.037 | Loss_ST: 0.000 | Loss_D: 0.184 | ST_Count: 2",
        Rule,
        "Evaluating at iteration 500...",
        Rule,
        "Training mIoU: 0.3523",
        "Validation mIoU: 0.3201",
        "✓ New best validation mIoU: 0.3201 (previous: 0.3100)",
        Rule,
    ];


    private static (string Key, long Step, double Value)[] EvaluationPoints(ParsedRecords records) =>
        [.. records.Points.Where(p => p.Key.Contains("mIoU", StringComparison.Ordinal)).Select(p => (p.Key, p.Step, p.Value))];

    [Fact]
    public void Evaluation_block_gives_train_and_val_miou_at_its_iteration_and_its_events()
    {
        var records = new ParsedRecords();

        Feed(new TextLogParser(), records, Block);

        Assert.Equal([("train/mIoU", 500, 0.3523), ("val/mIoU", 500, 0.3201)], EvaluationPoints(records));
        Assert.Equal(
            [
                new RunEvent(RunEventKind.Evaluation, 500, Now, "Evaluating at iteration 500..."),
                new RunEvent(RunEventKind.NewBest, 500, Now, "New best validation mIoU: 0.3201 (previous: 0.3100)"),
            ],
            records.Events);
        Assert.Equal(7, records.Points.Count);
    }

    [Theory]
    [InlineData("✓ New best validation mIoU: 0.3201 (previous: 0.3100)")]
    [InlineData("‚úì New best validation mIoU: 0.3201 (previous: 0.3100)")]
    [InlineData("New best validation mIoU: 0.3201 (previous: 0.3100)")]
    public void New_best_line_is_an_event_with_or_without_its_check_mark_and_never_a_metric(string line)
    {
        var records = new ParsedRecords();

        Feed(new TextLogParser(), records, ["Evaluating at iteration 500...", line]);

        Assert.Empty(records.Points);
        var newBest = Assert.Single(records.Events, e => e.Kind == RunEventKind.NewBest);
        Assert.Equal(new RunEvent(RunEventKind.NewBest, 500, Now, "New best validation mIoU: 0.3201 (previous: 0.3100)"), newBest);
    }

    [Fact]
    public void Evaluation_block_split_across_two_chunks_keeps_its_iteration()
    {
        var parser = new TextLogParser();
        var first = new ParsedRecords();
        var second = new ParsedRecords();

        Feed(parser, first, Block[..5]);
        Feed(parser, second, Block[5..]);

        Assert.Equal([("train/mIoU", 500, 0.3523)], EvaluationPoints(first));
        Assert.Equal([("val/mIoU", 500, 0.3201)], EvaluationPoints(second));
        Assert.Equal(500, Assert.Single(second.Events).Step);
    }

    [Fact]
    public void Evaluation_block_continues_in_a_parser_rebuilt_from_the_stored_state()
    {
        var before = new TextLogParser();
        var first = new ParsedRecords();
        Feed(before, first, Block[..5]);
        var stored = JsonSerializer.Serialize(before.State);

        var after = new TextLogParser(JsonSerializer.Deserialize<ParserState>(stored));
        var second = new ParsedRecords();
        Feed(after, second, Block[5..]);

        Assert.Equal([("val/mIoU", 500, 0.3201)], EvaluationPoints(second));
        Assert.Equal(new RunEvent(RunEventKind.NewBest, 500, Now, "New best validation mIoU: 0.3201 (previous: 0.3100)"), Assert.Single(second.Events));
        Assert.Equal(new ParserState(Block.Length, 500, 500, 50000), after.State);
    }

    [Fact]
    public void Next_iteration_line_ends_the_evaluation_block()
    {
        var parser = new TextLogParser();
        var records = new ParsedRecords();

        Feed(parser, records, [.. Block, "Iter 600/50000 | Loss_CE: 2.3", "Training mIoU: 0.9"]);

        Assert.DoesNotContain(records.Points, p => p.Value == 0.9);
        Assert.Null(parser.State.EvaluationStep);
        Assert.Equal(600, parser.State.LastStep);
    }

    [Fact]
    public void Traceback_inside_an_evaluation_block_ends_it()
    {
        var records = new ParsedRecords();

        Feed(new TextLogParser(), records, ["Evaluating at iteration 500...", "Traceback (most recent call last):", "    x = 5"]);

        Assert.Empty(records.Points);
        Assert.Equal([RunEventKind.Evaluation, RunEventKind.Crash], records.Events.Select(e => e.Kind));
    }
}
