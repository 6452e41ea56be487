using System.Xml.Linq;
using Dashboard.Core.Reports;

namespace Dashboard.Core.Tests.Reports;

public sealed class WritersTests
{
    private const string Hostile = "<script>alert(1)</script> [x](http://evil) ![i](http://evil/p.png) | a";

    private static Report HostileReport() =>
        ReportBuilder.ForRun(ReportData.Run(Hostile, [ReportData.Metric("loss", s => s == 500 ? double.NaN : 1.0 / s), ReportData.Metric(Hostile, s => s)]), ReportData.T0);

    [Fact]
    public void Markdown_charts_are_images_at_absolute_urls_under_the_report()
    {
        var report = HostileReport();

        var md = MarkdownWriter.Write(report, "https://dash.example/r/TOKEN");

        foreach (var chart in report.Charts)
            Assert.Contains($"](https://dash.example/r/TOKEN/charts/{chart.Id}.svg)", md);
        Assert.Contains("(https://dash.example/r/TOKEN/points.csv)", md);
        Assert.Contains("(https://dash.example/r/TOKEN.json)", md);
    }

    [Fact]
    public void Markdown_keeps_hostile_names_inert()
    {
        var md = MarkdownWriter.Write(HostileReport(), "https://dash.example/r/TOKEN");

        Assert.DoesNotContain("<script>", md);
        Assert.DoesNotContain("](http://evil", md);
        Assert.Contains("&lt;script&gt;", md);
        Assert.Contains("\\[x\\]\\(http://evil\\)", md);
    }

    [Fact]
    public void Svg_charts_are_well_formed_with_names_escaped_and_NaN_marked()
    {
        foreach (var chart in HostileReport().Charts)
        {
            var svg = SvgChartWriter.Write(chart);
            var document = XDocument.Parse(svg);
            Assert.Equal("svg", document.Root!.Name.LocalName);
            Assert.DoesNotContain("<script", svg);
            if (chart.Series.Any(s => s.Key == "loss"))
                Assert.Contains("NaN at step 500", svg);
        }
    }
}
