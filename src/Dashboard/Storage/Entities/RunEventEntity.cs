using Dashboard.Core.Records;

namespace Dashboard.Storage.Entities;

public sealed class RunEventEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public RunEventKind Kind { get; set; }
    public long? Step { get; set; }
    public long UnixMs { get; set; }
    public required string Message { get; set; }
}
