namespace Dashboard.Core.Records;

public enum RunEventKind
{
    ConfigCaptured,
    CheckpointSaved,
    Evaluation,
    NewBest,
    Crash,
    OutOfMemory,
    Finished,
}
