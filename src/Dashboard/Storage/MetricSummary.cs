namespace Dashboard.Storage;

/// <summary>Min and Max ignore NaN; they are null when every value is NaN.</summary>
public sealed record MetricSummary(string Key, long Count, StepValue First, StepValue Last, StepValue? Min, StepValue? Max);
