using Dashboard.Core.Records;
using Dashboard.Storage.Entities;
using System.Text.Json.Nodes;

namespace Dashboard.Storage;

/// <summary>From stored rows to the read-side records; NULL values are NaN (see MetricEntity).</summary>
public static class RunMapping
{
    public static RunSummary ToSummary(this RunEntity run, IEnumerable<MetricEntity> metrics) => new(
        run.Id, run.Name, run.Project, run.Source, run.Status, run.Step, run.TotalSteps,
        UnixTime.ToDate(run.StartedAtMs),
        UnixTime.ToDate(run.UpdatedAtMs),
        [.. metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new LastValue(m.Key, m.LastStep, m.LastValue ?? double.NaN))]);

    public static MetricSummary ToSummary(this MetricEntity metric) => new(
        metric.Key,
        metric.Count,
        new StepValue(metric.FirstStep, metric.FirstValue ?? double.NaN),
        new StepValue(metric.LastStep, metric.LastValue ?? double.NaN),
        metric.MinStep is { } minStep ? new StepValue(minStep, metric.MinValue ?? double.NaN) : null,
        metric.MaxStep is { } maxStep ? new StepValue(maxStep, metric.MaxValue ?? double.NaN) : null);

    public static JsonObject? ParseConfig(string? json) =>
        json is null ? null : JsonNode.Parse(json) as JsonObject;
}
