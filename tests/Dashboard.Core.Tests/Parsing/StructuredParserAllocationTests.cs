using System.Globalization;
using System.Text;
using Dashboard.Core.Parsing;
using Dashboard.Core.Parsing.Csv;
using Dashboard.Core.Parsing.Json;
using Dashboard.Core.Parsing.TensorBoard;
using Dashboard.Core.Records;
using Dashboard.Core.Tests.Parsing.TensorBoard;

namespace Dashboard.Core.Tests.Parsing;

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
