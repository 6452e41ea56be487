namespace Dashboard.Storage.Entities;

/// <summary>
/// A metric of a run with its running summary. SQLite stores NaN as NULL, so a null First/Last value
/// means NaN; Min/Max skip NaN and are null until a finite or infinite value arrives.
/// </summary>
public sealed class MetricEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Key { get; set; }
    public long Count { get; set; }
    public long FirstStep { get; set; }
    public double? FirstValue { get; set; }
    public long LastStep { get; set; }
    public double? LastValue { get; set; }
    public long? MinStep { get; set; }
    public double? MinValue { get; set; }
    public long? MaxStep { get; set; }
    public double? MaxValue { get; set; }
}
