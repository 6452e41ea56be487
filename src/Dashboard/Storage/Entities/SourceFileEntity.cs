namespace Dashboard.Storage.Entities;

/// <summary>A tailed log: how far it has been read, committed with the points read from it.</summary>
public sealed class SourceFileEntity
{
    public long Id { get; set; }
    public required string Path { get; set; }
    public long? RunId { get; set; }
    public long Offset { get; set; }
    public string? ParserStateJson { get; set; }
}
