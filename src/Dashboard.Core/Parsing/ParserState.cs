namespace Dashboard.Core.Parsing;

/// <summary>
/// What a file's parser must remember between reads. Stored with the file's byte offset in the same
/// transaction, so a restart in the middle of an evaluation block still dates its values correctly,
/// and a CSV file resumed after its header still knows its columns. Everything a parser keeps that
/// changes what a later line means belongs here: a parser made from it continues exactly as the
/// uninterrupted one would (an epoch-from-0 log mapped one epoch off after a restart went back in steps,
/// and the writer deleted the later points as if training had resumed).
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
    bool StepsCounted = false,
    // Text: the log showed an epoch 0, so epochs count from 0 ("Epoch [e/E], Step [s/S]" is e·S + s).
    bool ZeroBasedEpochs = false,
    // Text: inside a traceback, whose indented lines are code, not metrics.
    bool InTraceback = false,
    // Text: the columns of the last YOLO training and validation table headers.
    IReadOnlyList<string>? TableColumns = null,
    IReadOnlyList<string>? TableValColumns = null,
    // Text: the bytes read so far belong to a line too long to keep; the rest of it, up to its newline, is skipped too.
    bool SkippingLongLine = false,
    // Text: the total of Hugging Face's training bar (the first tqdm bar without a description) and its count
    // as last drawn, the Trainer's global step for the dicts that follow.
    long? BarTotal = null,
    long? BarStep = null,
    // Text: the step of a Lightning rich bar just read, for the indented metric lines wrapped below it.
    long? WrappedStep = null);
