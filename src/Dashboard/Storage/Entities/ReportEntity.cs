using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>
/// A frozen report: its rendered model (JSON) and its points export, as they were when it was
/// made. The token is the capability to read it; deleting the row revokes every URL at once.
/// </summary>
public sealed class ReportEntity
{
    /// <summary>Also named where the points CSV is written and read as a stream (<see cref="IStoreDatabase.WriteStreamAsync"/>).</summary>
    public const string Table = "reports";

    public long Id { get; set; }
    public required string Token { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    /// <summary>The runs it covers, comma-separated in report order ("3" or "3,7").</summary>
    public required string RunIds { get; set; }
    /// <summary>Made when its run finished, not on request: at most one per run.</summary>
    public bool Automatic { get; set; }
    public long CreatedAtMs { get; set; }
    public required string ModelJson { get; set; }
    /// <summary>CSV of every point of the runs at the time, gzip-compressed.</summary>
    public required byte[] PointsCsvGzip { get; set; }
}

internal sealed class ReportEntityConfiguration : IEntityTypeConfiguration<ReportEntity>
{
    public void Configure(EntityTypeBuilder<ReportEntity> report)
    {
        report.ToTable(ReportEntity.Table);
        report.HasIndex(r => r.Token).IsUnique();
        report.HasIndex(r => new { r.RunIds, r.Automatic });
    }
}
