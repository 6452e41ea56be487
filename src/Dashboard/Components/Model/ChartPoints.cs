using Dashboard.Core.Records;

namespace Dashboard.Components.Model;

/// <summary>
/// Points of one metric as a chart draws them: the line (a gap at a non-finite value, so the line
/// breaks) and, on the hidden 0..1 axis, a red cross at the top (NaN, Infinity) or bottom (-Infinity), each
/// where its x axis puts it.
/// </summary>
public sealed record ChartPoints(List<object> LineX, List<object?> LineY, List<object> MarkX, List<object> MarkY, List<string> MarkText)
{
    public const double TopEdge = 0.97;
    public const double BottomEdge = 0.03;

    public int Count => LineX.Count;

    /// <summary>Keeps only steps after <paramref name="after"/> (a page gets each point once, even when a re-read overlaps).</summary>
    public static ChartPoints Split(IEnumerable<StoredPoint> points, long? after, ChartX x)
    {
        var split = new ChartPoints([], [], [], [], []);
        foreach (var point in points)
        {
            if (after is { } last && point.Step <= last)
                continue;
            after = split.LastStep = point.Step;
            var at = x.Of(point);
            split.LineX.Add(at);
            if (double.IsFinite(point.Value))
            {
                split.LineY.Add(point.Value);
                continue;
            }
            split.LineY.Add(null);
            split.MarkX.Add(at);
            split.MarkY.Add(double.IsNegativeInfinity(point.Value) ? BottomEdge : TopEdge);
            split.MarkText.Add(ValueFormat.Value(point.Value));
        }
        return split;
    }

    public long? LastStep { get; private set; }
}
