using System.Globalization;
using Dashboard.Storage;

namespace Dashboard.Components.Model;

/// <summary>
/// One row of the current-values table on a run page. The raw values (round-trip invariant
/// text, "NaN"/"Infinity" for non-finite) go into data attributes so the live script can keep
/// min and max up to date.
/// </summary>
public sealed record MetricRow(string Key, string Last, long LastStep, string Min, string Max, long Count, string? MinRaw, string? MaxRaw, bool LastIsFinite)
{
    public string? RowClass => LastIsFinite ? null : "nonfinite";

    public string LastStepText => ValueFormat.Step(LastStep);

    public static MetricRow From(MetricSummary m) => new(
        m.Key,
        ValueFormat.Value(m.Last.Value),
        m.Last.Step,
        m.Min is { } min ? ValueFormat.Value(min.Value) : "—",
        m.Max is { } max ? ValueFormat.Value(max.Value) : "—",
        m.Count,
        m.Min is { } rmin ? Raw(rmin.Value) : null,
        m.Max is { } rmax ? Raw(rmax.Value) : null,
        double.IsFinite(m.Last.Value));

    /// <summary>Rows in chart order (losses, metrics, count, learning rate, other).</summary>
    public static IReadOnlyList<MetricRow> FromSummaries(IReadOnlyList<MetricSummary> metrics)
    {
        var byKey = metrics.GroupBy(m => m.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return MetricFamilies.Order(metrics.Select(m => m.Key)).Select(k => From(byKey[k])).ToList();
    }

    private static string Raw(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
