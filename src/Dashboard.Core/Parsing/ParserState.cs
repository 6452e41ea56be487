namespace Dashboard.Core.Parsing;

/// <summary>
/// What a text parser must remember between lines. Stored with the file's byte offset in the same
/// transaction, so a restart in the middle of an evaluation block still dates its values correctly.
/// </summary>
public sealed record ParserState(long LinesSeen = 0, long? LastStep = null, long? EvaluationStep = null, long? TotalSteps = null);
