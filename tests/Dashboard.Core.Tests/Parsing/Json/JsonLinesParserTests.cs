using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Parsing.Json;
using Dashboard.Core.Records;
using static Dashboard.Core.Tests.Parsing.TailHarness;

namespace Dashboard.Core.Tests.Parsing.Json;

public sealed class JsonLinesParserTests
{
    private static ParsedRecords Parse(params string[] lines) => Parse(new JsonLinesParser(), lines);

    private static ParsedRecords Parse(JsonLinesParser parser, params string[] lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var (records, consumed) = Tail(parser, bytes);
        Assert.Equal(bytes.Length, consumed);
        return records;
    }

    private static double Value(ParsedRecords records, string key, long step) => records.Points.Single(p => p.Key == key && p.Step == step).Value;

    [Fact]
    public void Hugging_face_trainer_lines_use_step_and_keep_epoch_as_a_metric()
    {
        var records = Parse(
            """{"loss": 2.3456, "grad_norm": 1.25, "learning_rate": 4.9e-05, "epoch": 0.25, "step": 10}""",
            """{"eval_loss": 1.9, "eval_runtime": 3.2, "epoch": 1.0, "step": 40}""",
            """{"train_runtime": 120.5, "train_loss": 2.0, "epoch": 1.0, "step": 40, "max_steps": 40}""");

        Assert.Equal(2.3456, Value(records, "loss", 10));
        Assert.Equal(4.9e-05, Value(records, "learning_rate", 10));
        Assert.Equal(0.25, Value(records, "epoch", 10));
        Assert.Equal(1.9, Value(records, "eval_loss", 40));
        Assert.DoesNotContain(records.Points, p => p.Key is "step" or "max_steps");
        Assert.Equal(40, records.TotalSteps);
        Assert.All(records.Points, p => Assert.Equal(Now, p.UnixMs));
    }

    [Fact]
    public void Nested_objects_are_flattened_with_slashes_and_arrays_strings_booleans_skipped()
    {
        var records = Parse("""{"step": 3, "train": {"loss": 0.4, "acc": {"top1": 0.9, "top5": 1}}, "val": {"loss": 0.5, "name": "x", "ok": true, "hist": [1, 2]}, "tags": ["a"]}""");

        Assert.Equal(
            [("train/loss", 0.4), ("train/acc/top1", 0.9), ("train/acc/top5", 1), ("val/loss", 0.5)],
            records.Points.Select(p => (p.Key, p.Value)));
        Assert.All(records.Points, p => Assert.Equal(3, p.Step));
    }

    [Fact]
    public void Python_json_dumps_nan_and_infinity_and_their_strings_are_values()
    {
        var records = Parse("""{"step": 1, "loss": NaN, "grad": Infinity, "low": -Infinity, "a": "nan", "b": "inf", "c": "-Infinity", "note": "NaN is bad", "n": {"x": NaN}}""");

        Assert.Equal(
            [("loss", double.NaN), ("grad", double.PositiveInfinity), ("low", double.NegativeInfinity), ("a", double.NaN),
             ("b", double.PositiveInfinity), ("c", double.NegativeInfinity), ("n/x", double.NaN)],
            records.Points.Select(p => (p.Key, p.Value)));
        Assert.Equal(0, records.SkippedBytes);
    }

    [Fact]
    public void Step_keys_in_priority_order_and_epoch_only_when_no_other()
    {
        var records = Parse(
            """{"iter": 50, "epoch": 1, "step": 50, "global_step": 49, "loss": 1}""",
            """{"epoch": 3, "loss": 2}""",
            """{"iteration": 700, "epoch": 4, "loss": 3}""",
            """{"_step": 12, "loss": 4}""");

        Assert.Equal([50L, 50, 3, 700, 700, 12], records.Points.Select(p => p.Step));
        Assert.Equal(["loss", "epoch", "loss", "loss", "epoch", "loss"], records.Points.Select(p => p.Key));
    }

    [Fact]
    public void Mmengine_scalars_keep_the_per_iteration_time_as_a_metric()
    {
        var records = Parse("""{"lr": 0.01, "data_time": 0.0123, "loss": 0.8, "time": 0.531, "epoch": 1, "iter": 50, "memory": 3021, "step": 50}""");

        Assert.Equal(0.531, Value(records, "time", 50));
        Assert.Equal(3021, Value(records, "memory", 50));
        Assert.DoesNotContain(records.Points, p => p.Key == "iter");
    }

    [Fact]
    public void Times_from_unix_seconds_milliseconds_and_iso_dates()
    {
        var records = Parse(
            """{"_step": 1, "_runtime": 12.5, "_timestamp": 1723754467.5, "loss": 1}""",
            """{"step": 2, "timestamp": 1723754468250, "loss": 1}""",
            """{"step": 3, "wall_time": "2025-08-15T20:41:07Z", "loss": 1}""",
            """{"step": 4, "time": "2025-08-15T22:41:07+02:00", "loss": 1}""",
            """{"step": 5, "time": "2025-08-15 20:41:07", "loss": 1}""",
            """{"step": 6, "timestamp": 1723754468250123456, "loss": 1}""");

        var times = records.Points.Where(p => p.Key == "loss").Select(p => p.UnixMs).ToList();
        Assert.Equal(1723754467500, times[0]);
        Assert.Equal(12.5, Value(records, "_runtime", 1));
        Assert.Equal(1723754468250, times[1]);
        var utc = new DateTimeOffset(2025, 8, 15, 20, 41, 7, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(utc, times[2]);
        Assert.Equal(utc, times[3]);
        Assert.Equal(new DateTimeOffset(new DateTime(2025, 8, 15, 20, 41, 7, DateTimeKind.Local)).ToUnixTimeMilliseconds(), times[4]);
        Assert.Equal(1723754468250, times[5]);
    }

    [Fact]
    public void A_config_object_is_the_run_configuration_with_its_length()
    {
        var records = Parse(
            """{"config": {"model": "unet", "trainer": {"lr": 1e-4, "train_num_steps": 150000}, "amp": false}}""",
            """{"step": 100, "loss": 0.5}""");

        Assert.NotNull(records.Config);
        Assert.Equal("unet", (string?)records.Config!["model"]);
        Assert.Equal(150000, records.TotalSteps);
        Assert.Equal(RunEventKind.ConfigCaptured, Assert.Single(records.Events).Kind);
        Assert.Equal([new MetricPoint("loss", 100, 0.5, Now)], records.Points);
    }

    [Fact]
    public void A_first_line_of_arguments_is_the_configuration_not_metrics()
    {
        var records = Parse(
            """{"model": "resnet50", "lr": 0.1, "batch_size": 256, "pretrained": true, "max_steps": 5000}""",
            """{"step": 1, "loss": 6.9}""");

        Assert.Equal(256, (int)records.Config!["batch_size"]!);
        Assert.Equal(5000, records.TotalSteps);
        Assert.Equal(["loss"], records.Points.Select(p => p.Key));
    }

    [Fact]
    public void Lines_without_a_step_count_steps_until_one_is_named_then_belong_to_it()
    {
        var parser = new JsonLinesParser();
        var counted = Parse(parser, """{"loss": 3}""", """{"loss": 2}""", """{"loss": 1}""");
        Assert.Equal([0L, 1, 2], counted.Points.Select(p => p.Step));
        Assert.True(parser.State.StepsCounted);

        var named = Parse(parser, """{"step": 100, "loss": 0.5}""", """{"eval_loss": 0.7}""", """{"step": 200, "loss": 0.4}""");
        Assert.Equal([100L, 100, 200], named.Points.Select(p => p.Step));
        Assert.False(parser.State.StepsCounted);
    }

    [Fact]
    public void Prints_are_ignored_and_only_broken_objects_count_as_skipped()
    {
        const string broken = """{"step": 2, "loss": 0.""";
        var records = Parse(
            "Starting training...",
            """{"step": 1, "loss": 0.5}""",
            "",
            broken,
            "[1, 2, 3]",
            """{"step": 3, "loss": 0.3}""");

        Assert.Equal([1L, 3], records.Points.Select(p => p.Step));
        Assert.Equal(broken.Length + 1, records.SkippedBytes);
    }

    [Fact]
    public void Windows_line_endings_a_bom_and_escaped_keys_are_read()
    {
        var bytes = Encoding.UTF8.GetBytes("\uFEFF{\"step\": 1, \"lo\\u0073s\": 0.5}\r\n{\"step\": 2, \"loss\": 0.25}\r\n");
        var (records, _) = Tail(new JsonLinesParser(), bytes);

        Assert.Equal([("loss", 1L, 0.5), ("loss", 2L, 0.25)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }

    [Fact]
    public void A_partial_line_waits_and_a_resumed_parser_continues_identically()
    {
        var lines = Enumerable.Range(0, 50).Select(i => i % 10 == 9
            ? string.Create(CultureInfo.InvariantCulture, $$$"""{"eval": {"loss": {{{i * 0.01}}}}}""")
            : string.Create(CultureInfo.InvariantCulture, $$$"""{"step": {{{i * 10}}}, "train": {"loss": {{{1.0 / (i + 1)}}}, "lr": 1e-4}, "max_steps": 500}"""));
        var bytes = Encoding.UTF8.GetBytes("""{"noise": NaN}""" + "\n" + string.Join("\n", lines) + "\n");
        var expected = Tail(new JsonLinesParser(), bytes).Records;

        var random = new Random(11);
        var chunked = new ParsedRecords();
        Assert.Equal(bytes.Length, TailRandomly(new JsonLinesParser(), bytes, chunked, random));
        Assert.Equal(expected.Points, chunked.Points);

        var first = new JsonLinesParser();
        var resumed = new ParsedRecords();
        var offset = first.Parse(bytes.AsSpan(0, bytes.Length / 2), Now, resumed);
        Assert.True(offset < bytes.Length / 2 && bytes[offset - 1] == '\n');
        var state = JsonSerializer.Deserialize<ParserState>(JsonSerializer.Serialize(first.State))!;
        var second = LogParsers.Create("metrics.jsonl", bytes.AsSpan(offset), state);
        Assert.IsType<JsonLinesParser>(second);
        Tail(second, bytes.AsSpan(offset), resumed);
        Assert.Equal(expected.Points, resumed.Points);
        Assert.Equal(500, second.State.TotalSteps);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(99);
        var alphabet = Encoding.UTF8.GetBytes("{}[]\":,0123456789.eE-+ NaNInfinity\\u\n\ttrue");
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            for (var j = 0; j < bytes.Length; j++)
                bytes[j] = i % 3 == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            var records = new ParsedRecords();
            TailRandomly(new JsonLinesParser(), bytes, records, random);
            Assert.InRange(records.SkippedBytes, 0, bytes.Length);
        }
    }

    [Fact]
    public void Very_deep_or_long_keys_do_not_break_the_line()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var longKey = $$"""{"step": 1, "{{new string('k', 500)}}": 1, "loss": 2}""";

        var records = Parse(deep, longKey);

        Assert.Equal([("loss", 2.0)], records.Points.Select(p => (p.Key, p.Value)));
    }
}
