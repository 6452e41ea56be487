using Dashboard.Core.Records;

namespace Dashboard.Storage;

/// <summary>`GET /api/runs/{id}/metrics/{key}`: points travel as [step, value, unixMs].</summary>
public sealed record MetricSeries(string Key, IReadOnlyList<StoredPoint> Points);
