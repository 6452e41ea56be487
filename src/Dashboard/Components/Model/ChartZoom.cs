using System.Globalization;
using System.Text.Json;

namespace Dashboard.Components.Model;

/// <summary>
/// The x axis' ends after Plotly's relayout event: a zoom or pan names the new ends, a double-click sets the
/// axis back to autorange (the whole run). Anything else (a y-only zoom, the page's own shape updates) leaves
/// the view as it was. <see cref="ChartX.StepsOf"/> turns the ends into the steps to read.
/// </summary>
public static class ChartZoom
{
    public static XRange? ViewOf(IDictionary<string, JsonElement>? relayout)
    {
        if (relayout is null)
            return null;
        if (relayout.TryGetValue("xaxis.autorange", out var auto) && auto.ValueKind == JsonValueKind.True)
            return XRange.All;
        var (low, high) = relayout.TryGetValue("xaxis.range", out var both) && both is { ValueKind: JsonValueKind.Array } && both.GetArrayLength() == 2
            ? (Number(both[0]), Number(both[1]))
            : (Number(relayout, "xaxis.range[0]"), Number(relayout, "xaxis.range[1]"));
        if (low is not { } from || high is not { } to)
            return null;
        return from <= to ? new XRange(from, to) : new XRange(to, from);
    }

    private static double? Number(IDictionary<string, JsonElement> relayout, string key) =>
        relayout.TryGetValue(key, out var value) ? Number(value) : null;

    private static double? Number(JsonElement value)
    {
        var number = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => Text(value.GetString()!),
            _ => (double?)null,
        };
        return number is { } finite && double.IsFinite(finite) ? finite : null;
    }

    // Plotly gives a range as text when the axis is typed as category, and a date axis' ends as its UTC
    // dates ("2026-12-06 02:04:50.1234"): those are Unix milliseconds here.
    private static double? Text(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? (date - DateTime.UnixEpoch).TotalMilliseconds
            : null;
}
