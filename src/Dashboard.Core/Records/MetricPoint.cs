namespace Dashboard.Core.Records;

/// <summary>One value of one metric at one step. NaN and ±Infinity are values, never dropped.</summary>
public readonly record struct MetricPoint(string Key, long Step, double Value, long UnixMs);
