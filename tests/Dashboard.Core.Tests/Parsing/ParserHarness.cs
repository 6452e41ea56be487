using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing;

/// <summary>Feeds lines to a parser the way the tailer does, dated at a fixed "now".</summary>
internal static class ParserHarness
{
    public const long Now = 1_755_000_000_000;

    public static ParsedRecords Parse(params string[] lines) => Parse(new TextLogParser(), lines);

    public static ParsedRecords Parse(TextLogParser parser, params string[] lines)
    {
        var records = new ParsedRecords();
        Feed(parser, records, lines);
        return records;
    }

    public static void Feed(TextLogParser parser, ParsedRecords into, IEnumerable<string> lines)
    {
        foreach (var line in lines)
            parser.ParseLine(line, Now, into);
    }
}
