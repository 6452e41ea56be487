using System.Globalization;
using System.Text;

namespace Dashboard.Core.Reports;

/// <summary>
/// Draws a report chart as a standalone SVG (curves, or a histogram), so the Markdown rendering shows
/// it in any viewer. Non-finite values are red crosses at the top (NaN, +Infinity) or bottom edge.
/// Every piece of text is XML-escaped.
/// </summary>
public static class SvgChartWriter
{
    private const int Width = 760, Height = 320, Left = 70, Right = 36, Top = 34, Bottom = 60;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Write(ReportChart chart) =>
        chart.Kind == ReportChart.Distribution && chart.Histogram is { } histogram ? WriteHistogram(chart.Title, histogram) : WriteLines(chart);

    private static string WriteLines(ReportChart chart)
    {
        var finite = chart.Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Value)).ToList();
        var all = chart.Series.SelectMany(s => s.Points).ToList();
        var svg = Open(chart.Title);
        if (all.Count == 0)
            return Close(svg.Append(Text(Width / 2, Height / 2, "no points", "middle")));

        double x0 = all.Min(p => p.Step), x1 = all.Max(p => p.Step);
        double y0 = finite.Count > 0 ? finite.Min(p => p.Value) : 0, y1 = finite.Count > 0 ? finite.Max(p => p.Value) : 1;
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) (y0, y1) = (y0 - 1, y1 + 1);
        Axes(svg, x0, x1, y0, y1, "step");

        for (var i = 0; i < chart.Series.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            var segment = new List<string>();
            void Flush()
            {
                if (segment.Count > 0)
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.4\" points=\"{string.Join(' ', segment)}\"/>");
                segment.Clear();
            }
            foreach (var p in chart.Series[i].Points)
            {
                var x = X(p.Step, x0, x1);
                if (double.IsFinite(p.Value))
                {
                    segment.Add(F($"{x:0.#},{Y(p.Value, y0, y1):0.#}"));
                    continue;
                }
                Flush();
                var edge = double.IsNegativeInfinity(p.Value) ? Height - Bottom : Top;
                svg.Append(F($"<path d=\"M{x - 4:0.#},{edge - 4} l8,8 m0,-8 l-8,8\" stroke=\"#dc3545\" stroke-width=\"2\"><title>{Escape(ReportNumber.Format(p.Value))} at step {p.Step}</title></path>"));
            }
            Flush();
            svg.Append(F($"<rect x=\"{Left + 8 + i % 3 * 230}\" y=\"{Height - 22 + i / 3 * 14 - 8}\" width=\"10\" height=\"3\" fill=\"{color}\"/>"));
            svg.Append(Text(Left + 22 + i % 3 * 230, Height - 22 + i / 3 * 14 - 4, chart.Series[i].Label, "start"));
        }
        return Close(svg);
    }

    private static string WriteHistogram(string title, Histogram histogram)
    {
        var svg = Open(title);
        var maxCount = Math.Max(1, histogram.Counts.Max());
        Axes(svg, histogram.Min, histogram.Max + (histogram.Max > histogram.Min ? 0 : 1), 0, maxCount, histogram.Key);
        var plotWidth = (double)(Width - Left - Right) / histogram.Counts.Count;
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            var h = (Height - Top - Bottom) * histogram.Counts[i] / (double)maxCount;
            var from = histogram.Min + i * histogram.BinWidth;
            svg.Append(F($"<rect x=\"{Left + i * plotWidth + 0.5:0.#}\" y=\"{Height - Bottom - h:0.#}\" width=\"{Math.Max(1, plotWidth - 1):0.#}\" height=\"{h:0.#}\" fill=\"#1f77b4\"><title>{Escape(ReportNumber.Format(from))} to {Escape(ReportNumber.Format(from + histogram.BinWidth))}: {histogram.Counts[i]}</title></rect>"));
        }
        if (histogram.NonFinite > 0)
            svg.Append(Text(Width - Right, Top - 6, $"{histogram.NonFinite} non-finite values not shown", "end"));
        return Close(svg);
    }

    private static StringBuilder Open(string title)
    {
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append($"<title>{Escape(title)}</title>");
        svg.Append(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>"));
        svg.Append(F($"<text x=\"{Left}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>"));
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Axes(StringBuilder svg, double x0, double x1, double y0, double y1, string xLabel)
    {
        svg.Append(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#adb5bd\"/>"));
        for (var k = 0; k <= 4; k++)
        {
            var y = y0 + (y1 - y0) * k / 4;
            var py = Y(y, y0, y1);
            svg.Append(F($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{py:0.#}\" y2=\"{py:0.#}\" stroke=\"#e9ecef\"/>"));
            svg.Append(Text(Left - 4, py + 4, ReportNumber.Format(y), "end"));
            var x = x0 + (x1 - x0) * k / 4;
            svg.Append(Text(X(x, x0, x1), Height - Bottom + 14, ReportNumber.Format(Math.Round(x, 6)), "middle"));
        }
        svg.Append(Text((Left + Width - Right) / 2.0, Height - Bottom + 27, xLabel, "middle"));
    }

    private static double X(double step, double x0, double x1) => Left + (Width - Left - Right) * (step - x0) / (x1 - x0);

    private static double Y(double value, double y0, double y1) => Height - Bottom - (Height - Top - Bottom) * (value - y0) / (y1 - y0);

    private static string Text(double x, double y, string text, string anchor) =>
        F($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" fill=\"#343a40\">{Escape(text)}</text>");

    /// <summary>
    /// XML text and attribute escaping (run names and metric keys are user text). Characters XML 1.0 does
    /// not allow (control characters, lone surrogates) become U+FFFD: one of them made the whole SVG unreadable.
    /// </summary>
    public static string Escape(string text) => XmlChars(text)
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&apos;", StringComparison.Ordinal);

    private static string XmlChars(string text)
    {
        if (!text.Any(c => (c < ' ' && c is not ('\t' or '\n' or '\r')) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF'))
            return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
                continue;
            }
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
                chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    private static string F(FormattableString text) => text.ToString(Inv);
}
