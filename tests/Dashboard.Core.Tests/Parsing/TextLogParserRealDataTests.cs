using System.Globalization;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing;

/// <summary>Lines as the RadioDiff VAE trainer wrote them, rebuilt from that team's own parse of its log.</summary>
public sealed class TextLogParserRealDataTests
{
    private const string FileName = "radiodiff_vae_training_data_parsed.csv";
    private const int MetricColumns = 9;

    [SharedDataFact(FileName)]
    public void Radiodiff_vae_train_step_lines_give_back_every_value_of_the_teams_own_parse()
    {
        var rows = File.ReadLines(SharedDataFactAttribute.PathOf(FileName)).ToList();
        var header = rows[0].Split(',');
        Assert.Equal("step", header[MetricColumns]);
        var parser = new TextLogParser();
        var records = new ParsedRecords();
        var expected = new List<MetricPoint>();
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Split(',');
            var step = long.Parse(cells[9], CultureInfo.InvariantCulture);
            var pairs = string.Concat(Enumerable.Range(0, MetricColumns).Select(i => $"{header[i]}: {cells[i]}, "));
            parser.ParseLine($"{cells[11]},000 [Train Step] {step}/{cells[10]}: {pairs}", 0, records);
            var at = new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(cells[11], CultureInfo.InvariantCulture), DateTimeKind.Local)).ToUnixTimeMilliseconds();
            expected.AddRange(Enumerable.Range(0, MetricColumns).Select(i => new MetricPoint(header[i], step, double.Parse(cells[i], CultureInfo.InvariantCulture), at)));
        }

        Assert.True(expected.Count > 1000);
        Assert.Equal(expected, records.Points);
        Assert.Equal(150000, records.TotalSteps);
        Assert.Empty(records.Events);
    }
}
