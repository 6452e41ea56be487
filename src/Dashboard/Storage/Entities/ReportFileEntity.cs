using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>
/// An image frozen with a report (a job's sample), copied so the report does not depend on the job's
/// folder; it goes with its report when the report is revoked.
/// </summary>
public sealed class ReportFileEntity
{
    public long Id { get; set; }
    public long ReportId { get; set; }
    /// <summary>A plain file name, unique within the report: the last segment of its URL.</summary>
    public required string Name { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Bytes { get; set; }
}

internal sealed class ReportFileEntityConfiguration : IEntityTypeConfiguration<ReportFileEntity>
{
    public void Configure(EntityTypeBuilder<ReportFileEntity> file)
    {
        file.ToTable("report_files");
        file.HasIndex(f => new { f.ReportId, f.Name }).IsUnique();
        file.HasOne<ReportEntity>().WithMany().HasForeignKey(f => f.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
