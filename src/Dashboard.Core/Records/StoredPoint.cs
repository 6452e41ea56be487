namespace Dashboard.Core.Records;

/// <summary>A point as read back from the store for one metric: travels as [step, value, unixMs].</summary>
public readonly record struct StoredPoint(long Step, double Value, long UnixMs);
