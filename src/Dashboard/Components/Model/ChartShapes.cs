using Dashboard.Alerts;
using Dashboard.Core.Rules;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.LayoutLib.ShapeLib;

namespace Dashboard.Components.Model;

/// <summary>
/// What a chart draws over its lines, as Plotly layout shapes: the guide's expected bands (shaded, under
/// the lines, over the phases the run has reached, up to its last step so the step axis keeps to the data)
/// and a dotted line, coloured by severity, where each alert of the chart's metrics began.
/// </summary>
public static class ChartShapes
{
    public const string BandColor = "rgba(25, 135, 84, 0.12)";
    // A pair rule's metric names both: "train/mIoU − val/mIoU".
    private const string PairSeparator = " − ";

    public static string SeverityColor(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "#dc3545",
        AlertSeverity.Warning => "#fd7e14",
        _ => "#0d6efd",
    };

    /// <summary>The alerts that concern one of the keys and say where they began.</summary>
    public static IReadOnlyList<AlertView> AlertsOf(IEnumerable<AlertView> alerts, IReadOnlyList<string> keys) =>
        [.. alerts.Where(a => a.FirstStep is not null && a.Metric.Length > 0 && a.Metric.Split(PairSeparator).Any(keys.Contains))];

    public static IReadOnlyList<BandView> BandsReached(IEnumerable<BandView> bands, IReadOnlyList<string> keys, long? reached) =>
        reached is { } last ? [.. bands.Where(b => keys.Contains(b.Metric) && b.FromStep < last)] : [];

    /// <summary>The shapes, placed on the x axis by <paramref name="at"/> (a step and whether to clamp it to the drawn ends; null: not drawn).</summary>
    public static List<Shape> For(IReadOnlyList<BandView> bands, IReadOnlyList<AlertView> alerts, long? reached, Func<long, bool, object?> at) =>
    [
        .. bands.Select(b => (Band: b, From: at(b.FromStep, true), To: at(b.ToStep is { } to ? Math.Min(to, reached ?? b.FromStep) : reached ?? b.FromStep, true)))
            .Where(b => b.From is not null && b.To is not null)
            .Select(b => Band(b.Band, b.From!, b.To!)),
        .. alerts.Select(a => (Alert: a, X: at(a.FirstStep!.Value, false))).Where(a => a.X is not null).Select(a => new Shape
        {
            Type = TypeEnum.Line, Layer = LayerEnum.Above, XRef = "x", YRef = "paper",
            X0 = a.X, X1 = a.X, Y0 = 0, Y1 = 1,
            Line = new Line { Color = SeverityColor(a.Alert.Severity), Width = 1.5m },
        }),
    ];

    private static Shape Band(BandView band, object from, object to)
    {
        var shape = new Shape
        {
            Type = TypeEnum.Rect, Layer = LayerEnum.Below, XRef = "x", YRef = "y",
            X0 = from, X1 = to,
            Line = new Line { Width = 0 },
            FillColor = BandColor,
        };
        if (band.Min is { } min && band.Max is { } max)
        {
            (shape.Y0, shape.Y1) = (min, max);
            return shape;
        }
        // An open side is measured in pixels from the known one, so it reaches past the plot's edge without stretching the value axis.
        shape.YSizeMode = YSizeModeEnum.Pixel;
        shape.YAnchor = band.Min ?? band.Max ?? 0;
        (shape.Y0, shape.Y1) = band.Min is not null ? (0, 5000) : (-5000, 0);
        return shape;
    }
}
