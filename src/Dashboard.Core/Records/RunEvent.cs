namespace Dashboard.Core.Records;

/// <summary>Something that happened in a run that is not a metric value (a crash, a new best, ...).</summary>
public sealed record RunEvent(RunEventKind Kind, long? Step, long UnixMs, string Message);
