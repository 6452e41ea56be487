namespace Dashboard.Storage.Points;

public readonly record struct PointRow(long MetricId, long Step, double Value, long UnixMs);
