using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class TextLogParserRobustnessTests
{
    public static TheoryData<string> HostileLines() =>
    [
        "",
        "   \t ",
        "\uFEFF",
        new string('x', 10 * 1024 * 1024),
        "step 1 " + string.Concat(Enumerable.Repeat("loss: 1 ", 2_000_000)),
        "{" + new string('[', 200_000),
        "{'a': " + new string('{', 100_000) + "}",
        "{{{{{{}}}",
        "}}}} step",
        "Iter abc/def | Loss_CE: 2.4",
        "Iter /50000 | Loss_CE: 2.4",
        "Iter -5/50000 | Loss_CE: 2.4",
        "step 99999999999999999999999 loss: 1",
        "step 1.5 loss: 1",
        "steps 5 loss: 1",
        "max_steps: 5 loss: 1",
        "2025-13-45 99:99:99,999 loss: 1",
        "2025-02-30 10:00:00 loss: 1",
        ":::: ==== |||| ,,,, ;;;;",
        "= = = : : :",
        "\u0001\u0002\u0003\uFFFD\uFFFD step",
        "key: value",
        "a: 1, b: 2, c: 3",
        "ETA 1:02:03 remaining",
        "Tried to allocate 20.00 MiB; 7.79 GiB: 3",
    ];

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void Hostile_line_neither_throws_nor_makes_points(string line)
    {
        var parser = new TextLogParser();
        var records = new ParsedRecords();

        parser.ParseLine(line, Now, records);

        Assert.Empty(records.Points);
        Assert.Null(records.Config);
        Assert.Equal(1, parser.State.LinesSeen);
    }

    [Fact]
    public void Random_bytes_decoded_as_lines_never_throw()
    {
        var random = new Random(7);
        var parser = new TextLogParser();
        var records = new ParsedRecords();
        var alphabet = "Iter step Epoch 0123456789/:=|,;.-+eE nanInf{}[]()'\"<>\\ \t✓‚úì"u8.ToArray();
        var lines = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            for (var j = 0; j < bytes.Length; j++)
                bytes[j] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            LineSplitter.Split([.. bytes, (byte)'\n'], lines);
        }

        foreach (var line in lines)
            parser.ParseLine(line, Now, records);

        Assert.All(records.Points, p => Assert.InRange(p.Key.Length, 1, 200));
        Assert.All(records.Points, p => Assert.True(p.Step >= 0));
    }

    [Fact]
    public void State_counts_every_line_given()
    {
        var parser = new TextLogParser(new ParserState(LinesSeen: 10));

        parser.ParseLine("", Now, new ParsedRecords());
        parser.ParseLine("step 1 loss: 1", Now, new ParsedRecords());

        Assert.Equal(new ParserState(12, 1, null, null), parser.State);
    }
}
