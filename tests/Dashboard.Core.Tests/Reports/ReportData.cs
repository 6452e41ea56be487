using System.Text.Json.Nodes;
using Dashboard.Core.Records;
using Dashboard.Core.Reports;
using Dashboard.Core.Rules;

namespace Dashboard.Core.Tests.Reports;

/// <summary>Factory helpers for report inputs.</summary>
internal static class ReportData
{
    public static readonly DateTimeOffset T0 = new(2025, 8, 15, 20, 41, 7, TimeSpan.Zero);

    /// <summary>A metric logged every <paramref name="every"/> steps from <paramref name="from"/>, <paramref name="secondsPerLine"/> apart.</summary>
    public static MetricInput Metric(string key, Func<long, double> value, long from = 100, long to = 10_000, long every = 100, double secondsPerLine = 2)
    {
        var points = new List<StoredPoint>();
        for (long step = from, i = 0; step <= to; step += every, i++)
            points.Add(new StoredPoint(step, value(step), T0.AddSeconds(i * secondsPerLine).ToUnixTimeMilliseconds()));
        return new MetricInput(key, points);
    }

    public static MetricInput Points(string key, params (long Step, double Value)[] points) =>
        new(key, [.. points.Select((p, i) => new StoredPoint(p.Step, p.Value, T0.AddSeconds(i).ToUnixTimeMilliseconds()))]);

    public static RunInput Run(string name, IReadOnlyList<MetricInput> metrics, JsonObject? config = null, long? totalSteps = 10_000,
        IReadOnlyList<RunEvent>? events = null, IReadOnlyList<AlertInput>? alerts = null, long id = 1, string status = "finished") =>
        new(id, name, "proj", status, metrics.Count == 0 ? null : metrics.Max(m => m.Points[^1].Step), totalSteps, T0, T0.AddHours(1),
            config, metrics, events ?? [], alerts ?? []);

    public static AlertInput Alert(string rule, string metric, AlertSeverity severity, string message, string advice, long first, long last) =>
        new(rule, metric, severity, message, advice, first, last, 4.2, T0.AddMinutes(5), null);
}
