using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using Dashboard.Core.Rules;

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

    /// <summary>Line breaks, raw HTML and a javascript: link in every string a run, a log or a job controls.</summary>
    private const string Breakout = "x`\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\r\n<script>alert(2)</script>\u2028|";

    private static Report BreakoutReport()
    {
        var run = ReportData.Run(Breakout, [ReportData.Metric("loss", s => 1.0 / s), ReportData.Metric(Breakout, s => s)],
            config: new JsonObject { [Breakout] = Breakout, ["batch_size"] = 2 },
            events: [new RunEvent(RunEventKind.CheckpointSaved, 5000, ReportData.T0.ToUnixTimeMilliseconds(), "Checkpoint saved: " + Breakout + ".pth")],
            alerts: [ReportData.Alert("rule", Breakout, AlertSeverity.Warning, Breakout, Breakout, 100, 200)]) with { Project = Breakout };
        var samples = new SampleSection(
            [new SampleSet("late", 7, 5000, Breakout, [new ReportSample(Breakout, [new SampleImage(Breakout, "0_gt.png", "/r/T/samples/0_gt.png")])])],
            [Breakout]);
        return ReportBuilder.ForRun(run with { Samples = samples }, ReportData.T0);
    }

    [Fact]
    public void Markdown_keeps_line_breaks_html_and_links_in_names_checkpoints_keys_values_and_alerts_inert()
    {
        var md = MarkdownWriter.Write(BreakoutReport(), "https://dash.example/r/TOKEN");

        // A raw HTML block starts with '<' at the start of a line (up to three spaces in).
        Assert.DoesNotMatch(@"(?m)^ {0,3}<", md);
        Assert.DoesNotContain("<img", md);
        Assert.DoesNotContain("<script", md);
        Assert.DoesNotContain("](javascript", md);
        Assert.DoesNotContain("\u2028", md);
        // The whole checkpoint name stays on its one line, as text.
        var checkpoint = Assert.Single(md.Split('\n'), l => l.StartsWith("- Checkpoint to keep: ", StringComparison.Ordinal));
        Assert.Contains("&lt;img src=x onerror=alert\\(1\\)&gt;", checkpoint);
        Assert.Contains("\\[click\\]\\(javascript:alert\\(1\\)\\)", checkpoint);
        Assert.Contains(".pth — ", checkpoint);
    }

    [Theory]
    [InlineData("javascript:alert(1)//")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("//evil.example/r/T")]
    public void Markdown_links_only_to_http_urls_or_paths_on_this_site(string reportUrl)
    {
        var md = MarkdownWriter.Write(HostileReport(), reportUrl);

        Assert.DoesNotContain("javascript:", md);
        Assert.DoesNotContain("data:", md);
        Assert.DoesNotContain("](//", md);
    }

    [Fact]
    public void Svg_charts_stay_well_formed_with_control_characters_in_names()
    {
        foreach (var chart in BreakoutReport().Charts)
        {
            var title = chart with { Title = "a\u0001b\u0000c\uD800" };
            Assert.Equal("svg", XDocument.Parse(SvgChartWriter.Write(title)).Root!.Name.LocalName);
            Assert.Equal("svg", XDocument.Parse(SvgChartWriter.Write(chart)).Root!.Name.LocalName);
        }
    }
}
