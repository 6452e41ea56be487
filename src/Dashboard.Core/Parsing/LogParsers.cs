namespace Dashboard.Core.Parsing;

/// <summary>Picks a file's format once (by name, then by its first bytes) and makes its parser.</summary>
public static class LogParsers
{
    /// <summary>The parser for a file: the stored state's format when resuming, else the detected one.</summary>
    public static ILogParser Create(string fileName, ReadOnlySpan<byte> head, ParserState? state = null)
    {
        var format = state?.Format ?? Detect(fileName, head);
        return format switch
        {
            _ => new TextLogFileParser(state),
        };
    }

    public static LogFormat Detect(string fileName, ReadOnlySpan<byte> head) => LogFormat.Text;
}
