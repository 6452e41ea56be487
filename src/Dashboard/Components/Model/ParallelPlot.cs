using System.Globalization;

namespace Dashboard.Components.Model;

/// <summary>One run across the axes: its height on each (0 at the axis' lowest value, 1 at its highest), the real values, a colour.</summary>
public sealed record ParallelLine(long RunId, string Name, IReadOnlyList<double> Heights, IReadOnlyList<string> Values, string Color);

/// <summary>
/// Parallel coordinates of the compare page drawn as plain lines (an SVG scatter plot, so the basic plotly.js
/// bundle draws it and no WebGL is needed): an axis per setting that differs and the chosen metric last, each
/// scaled to its own range; each run's line coloured by its metric, brightest where the metric is best.
/// </summary>
public sealed record ParallelPlot(IReadOnlyList<string> Labels, IReadOnlyList<(string Low, string High)> Ranges, IReadOnlyList<ParallelLine> Lines)
{
    // Viridis at five stops: dark for the worst figure, yellow for the best.
    private static readonly (double R, double G, double B)[] Viridis = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    public static ParallelPlot Of(IReadOnlyList<ParallelAxis> axes, IReadOnlyList<(long Id, string Name)> runs, bool lowerIsBetter)
    {
        var ranges = axes.Select(a => (Low: a.Values.Min(), High: a.Values.Max())).ToList();
        double Height(int axis, double value) => ranges[axis].High > ranges[axis].Low ? (value - ranges[axis].Low) / (ranges[axis].High - ranges[axis].Low) : 0.5;
        var lines = runs.Select((run, i) =>
        {
            var heights = axes.Select((a, k) => Height(k, a.Values[i])).ToList();
            var merit = lowerIsBetter ? 1 - heights[^1] : heights[^1];
            return new ParallelLine(run.Id, run.Name, heights, [.. axes.Select(a => Text(a.Values[i]))], Color(merit));
        }).ToList();
        return new ParallelPlot([.. axes.Select(a => a.Label)], [.. ranges.Select(r => (Text(r.Low), Text(r.High)))], lines);
    }

    private static string Text(double value) => ValueFormat.Value(value);

    private static string Color(double t)
    {
        var at = Math.Clamp(t, 0, 1) * (Viridis.Length - 1);
        var (from, to) = (Viridis[(int)Math.Floor(at)], Viridis[(int)Math.Ceiling(at)]);
        var f = at - Math.Floor(at);
        int Mix(double a, double b) => (int)Math.Round(a + (b - a) * f);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(from.R, to.R):x2}{Mix(from.G, to.G):x2}{Mix(from.B, to.B):x2}");
    }
}
