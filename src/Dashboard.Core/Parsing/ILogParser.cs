using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing;

/// <summary>One file's parser: turns the bytes appended to a log into records. Stateful, resumable from <see cref="State"/>.</summary>
public interface ILogParser
{
    LogFormat Format { get; }

    ParserState State { get; }

    /// <summary>
    /// Parses the complete records (lines, or TFRecords) at the start of <paramref name="buffer"/> and
    /// returns how many bytes they took; an incomplete record at the end is left for the next call.
    /// Records dated by the file rather than by their content get <paramref name="nowUnixMs"/>.
    /// </summary>
    int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into);
}
