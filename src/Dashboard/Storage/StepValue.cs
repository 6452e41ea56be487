namespace Dashboard.Storage;

public sealed record StepValue(long Step, double Value);
