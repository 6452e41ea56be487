namespace Dashboard.Core.Parsing;

/// <summary>
/// What a file's parser must remember between reads. Stored with the file's byte offset in the same
/// transaction, so a restart in the middle of an evaluation block still dates its values correctly,
/// and a CSV file resumed after its header still knows its columns.
/// </summary>
public sealed record ParserState(
    long LinesSeen = 0,
    long? LastStep = null,
    long? EvaluationStep = null,
    long? TotalSteps = null,
    LogFormat Format = LogFormat.Text,
    IReadOnlyList<string>? Columns = null,
    // CSV: the column separator detected from the header ("," or "\t"), kept with Columns.
    string? Separator = null,
    // JSON lines: steps are being counted line by line because the file has not named one since.
    bool StepsCounted = false);
