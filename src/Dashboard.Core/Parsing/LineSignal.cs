namespace Dashboard.Core.Parsing;

/// <summary>What a line's words say about it, besides its metrics.</summary>
[Flags]
internal enum LineSignal
{
    None = 0,
    Evaluation = 1 << 0,
    NewBest = 1 << 1,
    Crash = 1 << 2,
    OutOfMemory = 1 << 3,
    Finished = 1 << 4,
    CheckpointSaved = 1 << 5,
    Warning = 1 << 6,
}
