using System.Text.Json;
using Dashboard.Core.Records;
using Dashboard.Storage.Entities;

namespace Dashboard.Ingestion;

/// <summary>What a quarantine row holds: the records as they came, so nothing set aside is lost.</summary>
public static class QuarantinedBatch
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static QuarantinedBatchEntity Entity(
        long? runId, IngestBatch batch, IReadOnlyList<MetricPoint> points, IReadOnlyList<RunEvent> events, string reason, long nowMs) => new()
    {
        RunId = runId,
        Source = batch.Source.Key,
        Reason = reason.Length > 2000 ? reason[..2000] : reason,
        Points = points.Count,
        Events = events.Count,
        CreatedAtMs = nowMs,
        PayloadJson = JsonSerializer.Serialize(new
        {
            points = points.Select(p => new object[] { p.Key, p.Step, p.Value, p.UnixMs }),
            events = events.Select(e => new { kind = e.Kind.ToString(), e.Step, e.UnixMs, e.Message }),
            totalSteps = batch.TotalSteps,
            config = batch.ConfigJson,
        }, Json),
    };
}
