using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing;

/// <summary>A plain-text log: complete lines go to the <see cref="TextLogParser"/>; a partial last line waits.</summary>
public sealed class TextLogFileParser(ParserState? state = null) : ILogParser
{
    private readonly TextLogParser _parser = new(state);
    private readonly List<string> _lines = [];

    public LogFormat Format => LogFormat.Text;

    public ParserState State => _parser.State;

    public int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into)
    {
        _lines.Clear();
        var consumed = LineSplitter.Split(buffer, _lines);
        foreach (var line in _lines)
            _parser.ParseLine(line, nowUnixMs, into);
        return consumed;
    }
}
