using Dashboard.Core.Parsing;

namespace Dashboard.Ingestion;

/// <summary>Where reading a source stopped at the last commit, the parser's state there, and which file that offset belongs to.</summary>
public sealed record SourcePosition(long Offset, ParserState? State, StoredFileIdentity? Identity = null);
