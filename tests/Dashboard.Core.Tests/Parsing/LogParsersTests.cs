using System.Globalization;
using System.Text;
using Dashboard.Core.Parsing;
using Dashboard.Core.Parsing.Csv;
using Dashboard.Core.Parsing.Json;
using Dashboard.Core.Parsing.TensorBoard;
using Dashboard.Core.Records;
using Dashboard.Core.Tests.Parsing.TensorBoard;
using static Dashboard.Core.Tests.Parsing.TailHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class LogParsersTests
{
    private static LogFormat Detect(string name, string head) => LogParsers.Detect(name, Encoding.UTF8.GetBytes(head));

    [Theory]
    [InlineData("events.out.tfevents.1723754467.host.4242.0", LogFormat.TensorBoard)]
    [InlineData("events.out.tfevents.1723754500.host.4243.0.v2", LogFormat.TensorBoard)]
    [InlineData("logs/run1/metrics.jsonl", LogFormat.JsonLines)]
    [InlineData("history.NDJSON", LogFormat.JsonLines)]
    [InlineData("lightning_logs/version_0/metrics.csv", LogFormat.Csv)]
    [InlineData("scores.tsv", LogFormat.Csv)]
    [InlineData("train.log", LogFormat.Text)]
    public void By_name_whatever_the_content(string name, LogFormat expected) => Assert.Equal(expected, Detect(name, "hello\n"));

    [Theory]
    [InlineData("{\"step\": 1, \"loss\": 0.5}\n", LogFormat.JsonLines)]
    [InlineData("\n  {\"loss\": NaN, \"train\": {\"acc\": 1}}\n", LogFormat.JsonLines)]
    [InlineData("{\"config\": {\"lr\": 0.1}}\n{\"step\": 1}\n", LogFormat.JsonLines)]
    [InlineData("{\"model\": \"unet\", \"lr\": 0.1}\nIter 100/150000 loss: 0.5\n", LogFormat.Text)]
    [InlineData("{\"model\": \"unet\", \"lr\": 0.1}\n", LogFormat.Text)]
    [InlineData("{\"step\": 1, \"loss\": 0.5}", LogFormat.Text)]
    [InlineData("{'model': {'embed_dim': 3}, 'trainer': {'lr': 5e-06}}\nIter 100/150000 loss: 0.5\n", LogFormat.Text)]
    [InlineData("{\"message\": \"starting\"}\n", LogFormat.Text)]
    [InlineData("{\"message\": \"starting\"}\nloss: 0.5\n", LogFormat.Text)]
    [InlineData("{\"message\": \"starting\"}\n{\"step\": 1, \"loss\": 0.5}\n", LogFormat.JsonLines)]
    [InlineData("step,loss,acc\n100,0.5,0.9\n", LogFormat.Csv)]
    [InlineData("\uFEFFWall time,Step,Value\n1723754467.25,0,2.5\n", LogFormat.Csv)]
    [InlineData("step\tloss\n1\t0.5\n", LogFormat.Csv)]
    [InlineData("train/total_loss,lr,step,timestamp,datetime\n1916.7,0.0,35000,2025-08-15 20:41:07,2025-08-15 20:41:07\n", LogFormat.Csv)]
    [InlineData("step,loss,acc\n", LogFormat.Text)]
    [InlineData("step,loss,acc\n100,0.5", LogFormat.Text)]
    [InlineData("Epoch 1, loss 0.5\nEpoch 2, loss 0.4\n", LogFormat.Text)]
    [InlineData("2025-08-15 20:41:07,123 INFO Iter 100/150000 loss: 0.5\n2025-08-15 20:41:08,123 INFO Iter 200/150000 loss: 0.4\n", LogFormat.Text)]
    [InlineData("", LogFormat.Text)]
    public void By_content_for_other_names(string head, LogFormat expected) => Assert.Equal(expected, Detect("train_output", head));

    [Fact]
    public void A_tfrecord_head_is_tensorboard_whatever_the_name()
    {
        var head = EventBytes.Concat(EventBytes.FileVersion(), EventBytes.Scalar("loss", 1f, 1));

        Assert.Equal(LogFormat.TensorBoard, LogParsers.Detect("renamed.bin", head));
    }

    [Fact]
    public void Create_makes_the_detected_parser_and_honours_the_stored_format_when_resuming()
    {
        Assert.IsType<TensorBoardParser>(LogParsers.Create("events.out.tfevents.1.h.1.0", []));
        Assert.IsType<JsonLinesParser>(LogParsers.Create("m.jsonl", []));
        Assert.IsType<CsvLogParser>(LogParsers.Create("m.csv", []));
        Assert.IsType<TextLogFileParser>(LogParsers.Create("train.log", "Iter 1/10 loss: 1\n"u8));

        // Resuming: the stored format wins over name and bytes (the head is mid-file now).
        Assert.IsType<CsvLogParser>(LogParsers.Create("train.log", "1,2\n"u8, new ParserState(Format: LogFormat.Csv, Columns: ["step", "loss"])));
        Assert.IsType<JsonLinesParser>(LogParsers.Create("train.log", [], new ParserState(Format: LogFormat.JsonLines)));
        Assert.IsType<TextLogFileParser>(LogParsers.Create("m.jsonl", [], new ParserState(LinesSeen: 10)));
    }

    [Fact]
    public void A_file_whose_head_cannot_tell_yet_waits_and_then_parses_as_what_it_turns_out_to_be()
    {
        var csv = "step,loss\n100,0.5\n200,0.25\n"u8.ToArray();
        var parser = LogParsers.Create("run_output", csv.AsSpan(0, 10));
        var records = new ParsedRecords();

        Assert.Equal(0, parser.Parse(csv.AsSpan(0, 10), Now, records));
        Assert.Equal(0, parser.Parse(csv.AsSpan(0, 15), Now, records));
        Assert.Equal(csv.Length, parser.Parse(csv, Now, records));
        Assert.Equal(LogFormat.Csv, parser.State.Format);
        Assert.Equal([("loss", 100L, 0.5), ("loss", 200, 0.25)], records.Points.Select(p => (p.Key, p.Step, p.Value)));

        var json = "{\"step\": 3, \"loss\": 1.5}\n"u8.ToArray();
        parser = LogParsers.Create("run_output", json.AsSpan(0, 8));
        Assert.Equal(0, parser.Parse(json.AsSpan(0, 8), Now, records));
        Assert.Equal(json.Length, parser.Parse(json, Now, records));
        Assert.Equal(LogFormat.JsonLines, parser.Format);
        Assert.Equal(new MetricPoint("loss", 3, 1.5, Now), records.Points[^1]);

        // A JSON configuration line alone could head a text log or a JSON lines file: wait for the next line.
        var config = "{\"model\": \"unet\", \"lr\": 0.1}\n"u8.ToArray();
        parser = LogParsers.Create("run_output", config);
        Assert.Equal(0, parser.Parse(config, Now, records));
        var text = config.Concat("Iter 100/1000 loss: 0.5\n"u8.ToArray()).ToArray();
        Assert.Equal(text.Length, parser.Parse(text, Now, records));
        Assert.Equal(LogFormat.Text, parser.Format);
    }

    [Theory]
    [InlineData("a.jsonl")]
    [InlineData("a.csv")]
    [InlineData("events.out.tfevents.1.h.1.0")]
    [InlineData("a.log")]
    public void Every_parser_reports_its_format_in_its_state(string name)
    {
        var parser = LogParsers.Create(name, []);

        Assert.Equal(parser.Format, parser.State.Format);
    }

    [Fact]
    public void Detection_and_every_parser_survive_random_bytes()
    {
        var random = new Random(2026);
        // Text files are the text parser's business: here every structured parser, and detection itself.
        string[] names = ["a.jsonl", "a.csv", "events.out.tfevents.x"];
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (i % 4 == 0 && bytes.Length > 0)
                bytes[0] = (byte)'{';
            _ = LogParsers.Detect("noext", bytes);
            var name = names[i % names.Length];
            var parser = LogParsers.Create(name, bytes);
            var records = new ParsedRecords();
            TailRandomly(parser, bytes, records, random);
            Assert.InRange(records.SkippedBytes, 0, bytes.Length);
        }
    }
}

/// <summary>The hot path allocates nothing per record beyond the points themselves (keys are cached, lines are not strings).</summary>
public sealed class StructuredParserAllocationTests
{
    private const int Records = 2000;

    private static long AllocatedPerRecord(ILogParser parser, byte[] bytes)
    {
        var into = new ParsedRecords();
        parser.Parse(bytes, TailHarness.Now, into);
        into.Clear();
        // Warm: the points list has its capacity and every key is cached.
        var before = GC.GetAllocatedBytesForCurrentThread();
        parser.Parse(bytes, TailHarness.Now, into);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotEmpty(into.Points);
        return allocated / Records;
    }

    [Fact]
    public void Json_lines()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, Records).Select(i => FormattableString.Invariant(
            $$"""{"loss": {{1.0 / (i + 1)}}, "train": {"acc": 0.5, "lr": 1e-4}, "grad": NaN, "epoch": 0.25, "step": {{i}}, "timestamp": 1723754467.5}""") + "\n")));

        Assert.InRange(AllocatedPerRecord(new JsonLinesParser(), bytes), 0, 16);
    }

    [Fact]
    public void Csv()
    {
        var bytes = Encoding.UTF8.GetBytes("step,loss,acc,lr,timestamp\n" + string.Concat(Enumerable.Range(0, Records).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{i},{1.0 / (i + 1)},,1e-4,2025-08-15 20:41:07\n"))));
        var parser = new CsvLogParser();
        parser.Parse(bytes.AsSpan(0, bytes.AsSpan().IndexOf((byte)'\n') + 1), TailHarness.Now, new ParsedRecords());

        Assert.InRange(AllocatedPerRecord(parser, bytes.AsSpan(bytes.AsSpan().IndexOf((byte)'\n') + 1).ToArray()), 0, 16);
    }

    [Fact]
    public void TensorBoard()
    {
        var bytes = EventBytes.Concat([.. Enumerable.Range(0, Records).Select(i => EventBytes.Scalar("Loss/train", 1f / (i + 1), i))]);

        Assert.InRange(AllocatedPerRecord(new TensorBoardParser(), bytes), 0, 16);
    }
}

/// <summary>Feeds a file's bytes to an <see cref="ILogParser"/> the way FileTailer does: as they are appended, from the consumed offset.</summary>
internal static class TailHarness
{
    public const long Now = 1_755_000_000_000;

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>All of bytes, appended chunk bytes at a time; returns what was parsed and how far the parser consumed.</summary>
    public static (ParsedRecords Records, int Consumed) Tail(ILogParser parser, ReadOnlySpan<byte> bytes, int chunk = int.MaxValue)
    {
        var records = new ParsedRecords();
        var consumed = Tail(parser, bytes, records, chunk);
        return (records, consumed);
    }

    public static int Tail(ILogParser parser, ReadOnlySpan<byte> bytes, ParsedRecords into, int chunk = int.MaxValue)
    {
        var offset = 0;
        var available = 0;
        while (available < bytes.Length)
        {
            available = (int)Math.Min(bytes.Length, (long)available + chunk);
            var used = parser.Parse(bytes[offset..available], Now, into);
            Assert.InRange(used, 0, available - offset);
            offset += used;
        }
        return offset;
    }

    /// <summary>Random chunk sizes, as reads land anywhere in a record.</summary>
    public static int TailRandomly(ILogParser parser, ReadOnlySpan<byte> bytes, ParsedRecords into, Random random)
    {
        var offset = 0;
        var available = 0;
        while (available < bytes.Length)
        {
            available = Math.Min(bytes.Length, available + random.Next(1, 64));
            var used = parser.Parse(bytes[offset..available], Now, into);
            Assert.InRange(used, 0, available - offset);
            offset += used;
        }
        return offset;
    }
}
