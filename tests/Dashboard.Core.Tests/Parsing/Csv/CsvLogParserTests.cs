using System.Text;
using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Parsing.Csv;
using Dashboard.Core.Records;
using static Dashboard.Core.Tests.Parsing.TailHarness;

namespace Dashboard.Core.Tests.Parsing.Csv;

public sealed class CsvLogParserTests
{
    private const string RadioDiff = "radiodiff_vae_training_data_parsed.csv";

    private static ParsedRecords Parse(string text) => Parse(new CsvLogParser(), text);

    private static ParsedRecords Parse(CsvLogParser parser, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var (records, consumed) = Tail(parser, bytes);
        Assert.Equal(bytes.Length, consumed);
        return records;
    }

    private static long Local(int year, int month, int day, int hour, int minute, int second) =>
        new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Local)).ToUnixTimeMilliseconds();

    [Fact]
    public void Lightning_metrics_csv_with_interleaved_sparse_rows()
    {
        // CSVLogger writes one row per log call; cells a call did not log stay empty.
        const string text = """
            epoch,step,train_loss_step,val_loss,val_acc,train_loss_epoch
            0,49,0.9123,,,
            0,99,0.7012,,,
            0,99,,0.8001,0.61,
            0,99,,,,0.8450
            1,149,0.6500,,,

            """;

        var records = Parse(text);

        Assert.Equal(
            [("epoch", 49L, 0.0), ("train_loss_step", 49, 0.9123), ("epoch", 99, 0), ("train_loss_step", 99, 0.7012),
             ("epoch", 99, 0), ("val_loss", 99, 0.8001), ("val_acc", 99, 0.61), ("epoch", 99, 0), ("train_loss_epoch", 99, 0.845),
             ("epoch", 149, 1), ("train_loss_step", 149, 0.65)],
            records.Points.Select(p => (p.Key, p.Step, p.Value)));
        Assert.All(records.Points, p => Assert.Equal(Now, p.UnixMs));
    }

    [SharedDataFact(RadioDiff)]
    public void The_radiodiff_parsed_log_gives_every_loss_with_its_local_time_and_length()
    {
        var path = SharedDataFactAttribute.PathOf(RadioDiff);
        var bytes = File.ReadAllBytes(path);
        var rows = File.ReadAllLines(path).Skip(1).Count(l => l.Length > 0);

        var parser = LogParsers.Create(Path.GetFileName(path), bytes);
        var (records, consumed) = Tail(parser, bytes, chunk: 4096);

        Assert.IsType<CsvLogParser>(parser);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(0, records.SkippedBytes);
        Assert.Equal(150000, records.TotalSteps);
        Assert.Equal(
            ["lr", "train/d_weight", "train/disc_factor", "train/g_loss", "train/kl_loss", "train/logvar", "train/nll_loss", "train/rec_loss", "train/total_loss"],
            records.Points.Select(p => p.Key).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(rows * 9, records.Points.Count);
        var first = records.Points.Where(p => p.Step == 35000).ToDictionary(p => p.Key);
        Assert.Equal(1916.70959, first["train/total_loss"].Value);
        Assert.Equal(-0.44393, first["train/g_loss"].Value);
        Assert.Equal(Local(2025, 8, 15, 20, 41, 7), first["train/total_loss"].UnixMs);
        Assert.Equal(35100, records.Points.Where(p => p.Key == "lr").ElementAt(1).Step);
    }

    [Fact]
    public void Tab_separated_padded_and_quoted_fields()
    {
        const string text = "  step \t \"train loss\" \t lr\t\"note, with comma\"\n"
            + "   10 \t   0.50  \t 1e-3\t\"said \"\"hi\"\"\"\n"
            + "   20 \t\"0.25\"\t\t\n";

        var records = Parse(text);

        Assert.Equal([("train loss", 10L, 0.5), ("lr", 10, 1e-3), ("train loss", 20, 0.25)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }

    [Fact]
    public void Nan_and_infinite_cells_are_values_and_text_cells_are_not()
    {
        var records = Parse("step,loss,grad,phase\n1,nan,inf,train\n2,NaN,-Infinity,val\n");

        Assert.Equal(
            [("loss", double.NaN), ("grad", double.PositiveInfinity), ("loss", double.NaN), ("grad", double.NegativeInfinity)],
            records.Points.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Tensorboard_csv_export_uses_wall_time_and_step()
    {
        var records = Parse("Wall time,Step,Value\n1723754467.25,0,2.5\n1723754468.75,100,1.5\n");

        Assert.Equal(
            [new MetricPoint("Value", 0, 2.5, 1723754467250), new MetricPoint("Value", 100, 1.5, 1723754468750)],
            records.Points);
    }

    [Fact]
    public void Without_a_step_column_each_row_is_the_next_step_and_a_duration_time_is_a_metric()
    {
        var records = Parse("loss,time\n0.9,0.51\n0.8,0.49\n");

        Assert.Equal([("loss", 0L, 0.9), ("time", 0, 0.51), ("loss", 1, 0.8), ("time", 1, 0.49)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }

    [Fact]
    public void Epoch_is_the_x_axis_only_without_a_step_column()
    {
        var records = Parse("epoch,iteration,loss\n0,100,0.5\n");
        Assert.Equal([("epoch", 100L, 0.0), ("loss", 100, 0.5)], records.Points.Select(p => (p.Key, p.Step, p.Value)));

        records = Parse("epoch,acc\n3,0.9\n");
        Assert.Equal([("acc", 3L, 0.9)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }

    [Fact]
    public void A_new_header_row_mid_file_replaces_the_columns()
    {
        var parser = new CsvLogParser();
        var records = Parse(parser, "epoch,step,train_loss\n0,10,0.9\nepoch,step,train_loss,val_loss\n0,20,0.8,\n0,20,,0.85\n");

        Assert.Equal([("train_loss", 10L), ("train_loss", 20), ("val_loss", 20)], records.Points.Where(p => p.Key != "epoch").Select(p => (p.Key, p.Step)));
        Assert.Equal(["epoch", "step", "train_loss", "val_loss"], parser.State.Columns);
    }

    [Fact]
    public void A_header_only_file_resumes_with_its_columns_and_separator()
    {
        var first = new CsvLogParser();
        Parse(first, "step\tloss\tacc\n");
        var state = JsonSerializer.Deserialize<ParserState>(JsonSerializer.Serialize(first.State))!;
        Assert.Equal(["step", "loss", "acc"], state.Columns);
        Assert.Equal("\t", state.Separator);

        var second = LogParsers.Create("train.log", [], state);
        var (records, _) = Tail(second, "5\t0.5\t0.75\n"u8);

        Assert.Equal([("loss", 5L, 0.5), ("acc", 5, 0.75)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }

    [Fact]
    public void A_partial_row_waits_and_a_resumed_parser_continues_identically()
    {
        var lines = Enumerable.Range(1, 60).Select(i => $"{i * 100},{(i % 4 == 0 ? "" : (1.0 / i).ToString(System.Globalization.CultureInfo.InvariantCulture))},150000,2025-08-15 20:{i % 60:00}:07");
        var bytes = Encoding.UTF8.GetBytes("step,loss,total_steps,timestamp\n" + string.Join("\n", lines) + "\n");
        var expected = Tail(new CsvLogParser(), bytes).Records;

        var chunked = new ParsedRecords();
        Assert.Equal(bytes.Length, TailRandomly(new CsvLogParser(), bytes, chunked, new Random(5)));
        Assert.Equal(expected.Points, chunked.Points);

        var first = new CsvLogParser();
        var resumed = new ParsedRecords();
        var offset = first.Parse(bytes.AsSpan(0, bytes.Length / 2), Now, resumed);
        var state = JsonSerializer.Deserialize<ParserState>(JsonSerializer.Serialize(first.State))!;
        var second = LogParsers.Create("metrics.csv", bytes.AsSpan(offset), state);
        Tail(second, bytes.AsSpan(offset), resumed);
        Assert.Equal(expected.Points, resumed.Points);
        Assert.Equal(150000, second.State.TotalSteps);
    }

    [Fact]
    public void Rows_of_nul_bytes_are_skipped_and_counted()
    {
        var bytes = Encoding.UTF8.GetBytes("step,loss\n1,0.5\n\0\0\0\0\n2,0.25\n");

        var (records, _) = Tail(new CsvLogParser(), bytes);

        Assert.Equal([1L, 2], records.Points.Select(p => p.Step));
        Assert.Equal(5, records.SkippedBytes);
    }

    [Fact]
    public void A_row_with_more_cells_than_the_header_is_skipped_and_counted_and_missing_cells_are_empty()
    {
        const string wide = "0,30,0.7,0.75,0.9";
        var records = Parse("epoch,step,train_loss\n0,10,0.9\n" + wide + "\n0,40,0.6,,\n0,50\n");

        Assert.Equal([("train_loss", 10L), ("train_loss", 40)], records.Points.Where(p => p.Key != "epoch").Select(p => (p.Key, p.Step)));
        Assert.Equal(50, records.Points[^1].Step);
        Assert.Equal(wide.Length + 1, records.SkippedBytes);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(4242);
        var alphabet = Encoding.UTF8.GetBytes("step,loss\t\"\n 0123456789.eE-+nanif,,\r");
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            for (var j = 0; j < bytes.Length; j++)
                bytes[j] = i % 3 == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            var records = new ParsedRecords();
            var parser = new CsvLogParser();
            TailRandomly(parser, bytes, records, random);
            Assert.InRange(records.SkippedBytes, 0, bytes.Length);
            _ = JsonSerializer.Serialize(parser.State);
        }
    }
}
