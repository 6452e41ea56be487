using System.Buffers.Binary;
using Dashboard.Core.Parsing;
using Dashboard.Core.Parsing.TensorBoard;
using Dashboard.Core.Records;
using static Dashboard.Core.Tests.Parsing.TailHarness;
using static Dashboard.Core.Tests.Parsing.TensorBoard.EventBytes;

namespace Dashboard.Core.Tests.Parsing.TensorBoard;

public sealed class TensorBoardParserTests
{
    private const string TorchFile = "events.out.tfevents.1723754467.trainer-node.4242.0";
    private const string Tf2File = "events.out.tfevents.1723754500.trainer-node.4243.0.v2";
    private const double T0 = 1723754467.25;

    private static double TrainLoss(int step) => (float)(2.0 / (1.0 + (0.1 * step)));

    private static long Ms(double wallTime) => (long)Math.Round(wallTime * 1000);

    [Fact]
    public void Crc32C_matches_the_castagnoli_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        // 32 bytes of zeros, from RFC 3720 (iSCSI) B.4.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    [Fact]
    public void Torch_summary_writer_file_gives_every_scalar_and_skips_text_histograms_and_images()
    {
        var bytes = File.ReadAllBytes(FixturePath(TorchFile));
        var (records, consumed) = Tail(new TensorBoardParser(), bytes);

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(0, records.SkippedBytes);
        Assert.Equal(["Accuracy/train", "Loss/train", "Loss/val", "grad_norm", "lr"], records.Points.Select(p => p.Key).Distinct().Order(StringComparer.Ordinal));
        var loss = records.Points.Where(p => p.Key == "Loss/train").ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(s => (long)s), loss.Select(p => p.Step));
        Assert.Equal(TrainLoss(7), loss[7].Value);
        Assert.True(double.IsNaN(loss[13].Value));
        Assert.Equal(Ms(T0 + 1 + (7 * 1.5)), loss[7].UnixMs);
        // Step 0 is not written at all (proto3 default): it still reads as step 0.
        Assert.Equal(0, loss[0].Step);
        Assert.Equal(TrainLoss(0), loss[0].Value);

        var val = records.Points.Where(p => p.Key == "Loss/val").ToList();
        Assert.Equal([4L, 9, 14, 19], val.Select(p => p.Step));
        Assert.Equal((float)(TrainLoss(9) * 1.1), val[1].Value);
        // add_scalar(new_style=True): a DT_FLOAT tensor with float_val, plugin "scalars".
        var lr = records.Points.Where(p => p.Key == "lr").ToList();
        Assert.Equal(20, lr.Count);
        Assert.Equal((float)(1e-3 * Math.Pow(0.9, 3)), lr[3].Value);
        Assert.Equal((float)0.56, records.Points.Single(p => p.Key == "Accuracy/train" && p.Step == 3).Value);
        // double_precision=True: DT_DOUBLE with double_val, full precision kept.
        Assert.Equal(1.0 + (5 / 3.0), records.Points.Single(p => p.Key == "grad_norm" && p.Step == 5).Value);
    }

    [Fact]
    public void Tf2_summary_scalar_tensors_with_tensor_content_are_read()
    {
        var bytes = File.ReadAllBytes(FixturePath(Tf2File));
        var (records, consumed) = Tail(new TensorBoardParser(), bytes);

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(20, records.Points.Count);
        var loss = records.Points.Where(p => p.Key == "epoch_loss").ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(s => (long)s), loss.Select(p => p.Step));
        Assert.Equal(TrainLoss(4), loss[3].Value);
        Assert.Equal((float)0.3, records.Points.Single(p => p.Key == "epoch_accuracy" && p.Step == 3).Value);
        Assert.Equal(Ms(T0 + 33 + 3), loss[2].UnixMs);
    }

    [Theory]
    [InlineData(TorchFile)]
    [InlineData(Tf2File)]
    public void Reads_in_any_chunks_and_resumes_from_state_identically(string file)
    {
        var bytes = File.ReadAllBytes(FixturePath(file));
        var expected = Tail(new TensorBoardParser(), bytes).Records.Points;

        var random = new Random(7);
        var chunked = new ParsedRecords();
        Assert.Equal(bytes.Length, TailRandomly(new TensorBoardParser(), bytes, chunked, random));
        Assert.Equal(expected, chunked.Points);

        // Stop mid-file, keep only (offset, state) as the store does, and go on with a new parser.
        var first = new TensorBoardParser();
        var resumed = new ParsedRecords();
        var offset = first.Parse(bytes.AsSpan(0, bytes.Length / 2), Now, resumed);
        var state = System.Text.Json.JsonSerializer.Deserialize<ParserState>(System.Text.Json.JsonSerializer.Serialize(first.State))!;
        Assert.Equal(LogFormat.TensorBoard, state.Format);
        var second = LogParsers.Create(file, bytes.AsSpan(offset), state);
        Assert.IsType<TensorBoardParser>(second);
        Assert.Equal(bytes.Length - offset, Tail(second, bytes.AsSpan(offset), resumed));
        Assert.Equal(expected, resumed.Points);
    }

    [Fact]
    public void A_partial_last_record_waits_for_the_rest()
    {
        var whole = Concat(FileVersion(), Scalar("loss", 0.5f, 1), Scalar("loss", 0.25f, 2));
        var parser = new TensorBoardParser();
        var records = new ParsedRecords();
        var cut = whole.Length - 7;

        var consumed = parser.Parse(whole.AsSpan(0, cut), Now, records);

        Assert.Equal(whole.Length - Scalar("loss", 0.25f, 2).Length, consumed);
        Assert.Equal([0.5], records.Points.Select(p => p.Value));
        Assert.Equal(0, records.SkippedBytes);
        // Only the 12-byte header of the next record: still waiting, nothing skipped.
        Assert.Equal(0, parser.Parse(whole.AsSpan(consumed, 11), Now, records));
        Assert.Equal(0, parser.Parse(whole.AsSpan(consumed, 12), Now, records));
        Assert.Equal(whole.Length - consumed, parser.Parse(whole.AsSpan(consumed), Now, records));
        Assert.Equal([0.5, 0.25], records.Points.Select(p => p.Value));
        Assert.Equal(0, records.SkippedBytes);
    }

    [Fact]
    public void A_record_with_a_bad_data_crc_is_skipped_and_counted_and_its_neighbours_kept()
    {
        var bad = Scalar("loss", 0.4f, 2);
        bad[14] ^= 0x55;
        var bytes = Concat(FileVersion(), Scalar("loss", 0.5f, 1), bad, Scalar("loss", 0.3f, 3));

        var (records, consumed) = Tail(new TensorBoardParser(), bytes);

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(bad.Length, records.SkippedBytes);
        Assert.Equal([1L, 3], records.Points.Select(p => p.Step));
    }

    [Fact]
    public void Garbage_between_records_is_skipped_up_to_the_next_valid_header()
    {
        byte[] garbage = [1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 9, 9];
        var bytes = Concat(FileVersion(), Scalar("loss", 0.5f, 1), garbage, Scalar("loss", 0.3f, 3));

        var records = new ParsedRecords();
        var consumed = TailRandomly(new TensorBoardParser(), bytes, records, new Random(3));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(garbage.Length, records.SkippedBytes);
        Assert.Equal([1L, 3], records.Points.Select(p => p.Step));
    }

    [Fact]
    public void Nan_and_infinite_values_are_kept()
    {
        var bytes = Concat(Scalar("loss", float.NaN, 1), Scalar("loss", float.PositiveInfinity, 2), Scalar("loss", float.NegativeInfinity, 3));

        var (records, _) = Tail(new TensorBoardParser(), bytes);

        Assert.Equal([double.NaN, double.PositiveInfinity, double.NegativeInfinity], records.Points.Select(p => p.Value));
    }

    [Fact]
    public void Scalar_tensors_of_every_numeric_dtype_are_read_and_larger_or_string_tensors_are_not()
    {
        var scalarShape = new Proto();
        var oneByOne = new Proto().Message(2, new Proto().Varint(1, 1)).Message(2, new Proto().Varint(1, 1));
        var vector = new Proto().Message(2, new Proto().Varint(1, 3));
        var bytes = Concat(
            Tensor("double", new Proto().Varint(1, 2).Message(2, scalarShape).Bytes(6, BitConverter.GetBytes(0.125)), 1),
            Tensor("double_content", new Proto().Varint(1, 2).Bytes(4, BitConverter.GetBytes(-2.5)), 1),
            Tensor("int32", new Proto().Varint(1, 3).Bytes(7, Proto.VarintBytes(unchecked((ulong)-7L))), 1),
            Tensor("int64", new Proto().Varint(1, 9).Message(2, oneByOne).Bytes(10, Proto.VarintBytes(1L << 40)), 1),
            Tensor("int64_unpacked", new Proto().Varint(1, 9).Varint(10, 12), 1),
            Tensor("float_unpacked", new Proto().Varint(1, 1).Float(5, 1.5f), 1),
            Tensor("half", new Proto().Varint(1, 19).Bytes(4, BitConverter.GetBytes((Half)0.5)), 1),
            Tensor("vector", new Proto().Varint(1, 1).Message(2, vector).Bytes(4, new byte[12]), 1),
            Tensor("string", new Proto().Varint(1, 7).String(8, "hello"), 1),
            Tensor("hist", new Proto().Varint(1, 2).Bytes(6, BitConverter.GetBytes(1.0)), 1, plugin: "histograms"));

        var (records, _) = Tail(new TensorBoardParser(), bytes);

        Assert.Equal(
            [("double", 0.125), ("double_content", -2.5), ("int32", -7), ("int64", 1L << 40), ("int64_unpacked", 12), ("float_unpacked", 1.5), ("half", 0.5)],
            records.Points.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped()
    {
        var value = new Proto().Varint(15, 3).String(1, "loss").Double(16, 1.0).Float(2, 0.75f).Float(17, 2f).Bytes(18, [1, 2, 3]);
        var ev = new Proto().Varint(20, 1).Double(1, T0).Bytes(21, [9, 9]).Varint(2, 42).Float(22, 1f).Double(23, 2)
            .Message(5, new Proto().Varint(3, 1).Message(1, value))
            .Message(10, new Proto().String(1, "tensorboard.summary.writer.event_file_writer"));

        var (records, _) = Tail(new TensorBoardParser(), Record(ev.ToArray()));

        Assert.Equal([new MetricPoint("loss", 42, 0.75, Ms(T0))], records.Points);
    }

    [Fact]
    public void Events_without_summaries_and_malformed_protobuf_give_nothing()
    {
        var bytes = Concat(
            FileVersion(),
            Record(new Proto().Double(1, T0).Varint(2, 5).Message(7, new Proto().Varint(1, 1)).ToArray()),
            Record([0x0A, 0xFF, 0xFF]),
            Record([0x1B, 0x00]),
            Record([]),
            Scalar("loss", 1f, 6));

        var (records, consumed) = Tail(new TensorBoardParser(), bytes);

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(0, records.SkippedBytes);
        Assert.Equal([new MetricPoint("loss", 6, 1, Ms(T0))], records.Points);
    }

    [Fact]
    public void A_wall_time_that_is_no_time_dates_the_point_now()
    {
        var (records, _) = Tail(new TensorBoardParser(), Scalar("loss", 1f, 1, wallTime: 0));

        Assert.Equal(Now, records.Points.Single().UnixMs);
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw()
    {
        var random = new Random(12345);
        var valid = File.ReadAllBytes(FixturePath(TorchFile));
        for (var i = 0; i < 3000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 400)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = (byte[])valid.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            var records = new ParsedRecords();
            var consumed = TailRandomly(new TensorBoardParser(), bytes, records, random);
            Assert.InRange(bytes.Length - consumed, 0, 1 << 30);
            Assert.InRange(records.SkippedBytes, 0, bytes.Length);
        }
    }
}
