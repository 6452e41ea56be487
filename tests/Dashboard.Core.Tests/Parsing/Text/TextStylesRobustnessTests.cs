using System.Text;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing.Text;

public sealed class TextStylesRobustnessTests
{
    public static TheoryData<string> HostileLines() =>
    [
        "Epoch(train) [",
        "Epoch(train) [1][",
        "Epoch(train) [1][50/",
        "Epoch(val) [1][50/500]",
        "Iter(val) [ 50/500]    mIoU: 76.5",
        "Iter(bogus) [50/500] loss: 1",
        "Train: 0 [",
        "Train: 0 [   0/1251 (  0%",
        "Train: x [0/1] Loss: 1",
        "{'epoch': 1e300, 'loss': 1.0}",
        "{'epoch': -1.5, 'loss': 1.0}",
        "{'epoch': nan, 'loss': 1.0}",
        "{'loss': 1.0}",
        "garbage {'loss': 1.0}",
        "garbage {'loss': 1.0, 'epoch': [1]}",
        "      Epoch    GPU_mem   box_loss",
        "all 1 2 3",
        "1875/1875 [==============================] - 5s 2ms/step - loss: 0.2954",
        "\r\r\r\r",
        "Epoch 3:  45%|" + new string('█', 100_000) + "|\r",
        "Loss: 6.912 (6.93)",
        "max_mem: 5432M",
        "throughput 12.3 samples/s",
        "UserWarning: step 5 loss: 0.3",
        "2025-08-15 20:41:07,123",
        "[2025-08-15 20:41:07]",
        "[03/01 12:00:00 d2.utils.events]:",
    ];

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void Hostile_line_on_a_fresh_parser_neither_throws_nor_makes_points(string line)
    {
        Assert.Empty(Parse(line).Points);
    }

    [Theory]
    [InlineData("[02/30 12:00:00 x]: iter: 5 loss: 1")]
    [InlineData("[13/01 12:00:00 x]: iter: 5 loss: 1")]
    [InlineData("[03/01 12:00:00 no closing bracket iter: 5 loss: 1")]
    public void Prefix_that_is_no_valid_date_leaves_the_line_dated_now(string line)
    {
        var point = Assert.Single(Parse(line).Points);

        Assert.Equal(("loss", 5, 1.0, Now), (point.Key, point.Step, point.Value, point.UnixMs));
    }

    [Theory]
    [InlineData("Epoch [999999999999999999/5], Step [999999999999999999/999999999999999999], loss: 1")]
    [InlineData("Epoch(train) [999999999999999999][999999999999999999/999999999999999999]  loss: 1")]
    [InlineData("Train: 999999999999999999 [999999999999999999/999999999999999999 (100%)]  Loss: 1 (1)")]
    [InlineData("{'loss': 1.0, 'epoch': 999999999999.0}")]
    public void Huge_numbers_never_overflow_into_negative_steps(string line)
    {
        var records = Parse(line);

        Assert.All(records.Points, p => Assert.True(p.Step >= 0));
        Assert.True(records.TotalSteps is null or > 0);
    }

    [Fact]
    public void Random_lines_in_every_style_never_throw_nor_make_negative_steps_or_bad_keys()
    {
        var random = new Random(11);
        string[] pieces =
        [
            "Iter(train) [", "Epoch(train) ", "Epoch(val) ", "Train: ", "Epoch [", "Step [", "step ", "iter: ", "global_step=", "]", "[", "/", "(", ")", "%",
            "{'loss': ", "'epoch': ", "}", " loss: ", " Loss ", " eta: 1 day, 2:03:04 ", " 5432M ", " 0.45s ", " it/s", "12:03:04", "\r", "\t", " - ", "|", ",",
            "0", "1", "7", "50", "500", "1e-05", "nan", "-", ".", "GPU_mem", "Epoch    GPU_mem   box_loss", "all ", "Class     Images", "━", "==>", "Traceback (most recent call last):", "  ",
        ];
        var parser = new TextLogParser();
        var records = new ParsedRecords();
        var text = new StringBuilder();
        for (var i = 0; i < 30_000; i++)
        {
            text.Clear();
            for (var j = random.Next(0, 14); j > 0; j--)
                text.Append(pieces[random.Next(pieces.Length)]);
            parser.ParseLine(text.ToString(), Now, records);
        }

        Assert.All(records.Points, p => Assert.InRange(p.Key.Length, 1, 205));
        Assert.All(records.Points, p => Assert.True(p.Step >= 0));
        Assert.True(records.TotalSteps is null or > 0);
    }
}
