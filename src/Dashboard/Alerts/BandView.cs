namespace Dashboard.Alerts;

/// <summary>An expected range of a metric over a phase of training (shaded on its chart).</summary>
public sealed record BandView(string Metric, string RuleId, long FromStep, long? ToStep, double? Min, double? Max);
