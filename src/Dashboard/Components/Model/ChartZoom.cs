using System.Globalization;
using System.Text.Json;
using Dashboard.Core.Records;

namespace Dashboard.Components.Model;

/// <summary>
/// The steps a chart shows after Plotly's relayout event: a zoom or pan names the x axis' new ends, a
/// double-click sets it back to autorange (the whole run). Anything else (a y-only zoom, the page's
/// own shape updates) leaves the view as it was.
/// </summary>
public static class ChartZoom
{
    public static StepRange? ViewOf(IDictionary<string, JsonElement>? relayout)
    {
        if (relayout is null)
            return null;
        if (relayout.TryGetValue("xaxis.autorange", out var auto) && auto.ValueKind == JsonValueKind.True)
            return StepRange.All;
        var (low, high) = relayout.TryGetValue("xaxis.range", out var both) && both is { ValueKind: JsonValueKind.Array } && both.GetArrayLength() == 2
            ? (Number(both[0]), Number(both[1]))
            : (Number(relayout, "xaxis.range[0]"), Number(relayout, "xaxis.range[1]"));
        if (low is not { } from || high is not { } to)
            return null;
        if (from > to)
            (from, to) = (to, from);
        // Steps are whole: the view takes every step that is drawn, even in part.
        return new StepRange(Step(Math.Floor(from)), Step(Math.Ceiling(to)));
    }

    private static long Step(double value) => value switch
    {
        <= long.MinValue => long.MinValue,
        >= long.MaxValue => long.MaxValue,
        _ => (long)value,
    };

    private static double? Number(IDictionary<string, JsonElement> relayout, string key) =>
        relayout.TryGetValue(key, out var value) ? Number(value) : null;

    private static double? Number(JsonElement value)
    {
        var number = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            // Plotly gives a range as text when the axis was typed as category or date; steps are numbers.
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
            _ => (double?)null,
        };
        return number is { } finite && double.IsFinite(finite) ? finite : null;
    }
}
