using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>
/// Records the writer set aside instead of storing: points no reader could map (a step or wall time
/// out of range), or a whole batch whose commit failed twice. Kept with the reason, so nothing is lost
/// and ingestion goes on; the run page and <c>GET /api/runs/{id}</c> list them.
/// </summary>
public sealed class QuarantinedBatchEntity
{
    public long Id { get; set; }
    public long? RunId { get; set; }
    /// <summary>The source key (file path or remote:project/run) the records came from.</summary>
    public required string Source { get; set; }
    public required string Reason { get; set; }
    public int Points { get; set; }
    public int Events { get; set; }
    /// <summary>The records as JSON: {points: [[key, step, value, unixMs]], events, totalSteps, config}.</summary>
    public required string PayloadJson { get; set; }
    public long CreatedAtMs { get; set; }
}

internal sealed class QuarantinedBatchEntityConfiguration : IEntityTypeConfiguration<QuarantinedBatchEntity>
{
    public void Configure(EntityTypeBuilder<QuarantinedBatchEntity> entity)
    {
        entity.ToTable("quarantine");
        entity.HasIndex(q => new { q.RunId, q.Id });
        entity.HasOne<RunEntity>().WithMany().HasForeignKey(q => q.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
