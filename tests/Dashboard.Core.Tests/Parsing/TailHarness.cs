using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing;

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
