using System.Text;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>Feeds a whole log, as the tool wrote it (\n, \r\n, \r redraws), through the line splitter and one parser.</summary>
internal static class LogSamples
{
    public static ParsedRecords ParseLog(string log)
    {
        var lines = new List<string>();
        LineSplitter.Split(Encoding.UTF8.GetBytes(log.EndsWith('\n') ? log : log + "\n"), lines);
        return ParserHarness.Parse([.. lines]);
    }

    public static (string Key, long Step, double Value)[] Points(ParsedRecords records) =>
        [.. records.Points.Select(p => (p.Key, p.Step, p.Value))];

    public static double ValueOf(ParsedRecords records, string key, long step) =>
        Assert.Single(records.Points, p => p.Key == key && p.Step == step).Value;
}
