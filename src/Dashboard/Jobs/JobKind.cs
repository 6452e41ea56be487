namespace Dashboard.Jobs;

public enum JobKind
{
    Evaluate,
    Sample,
}
