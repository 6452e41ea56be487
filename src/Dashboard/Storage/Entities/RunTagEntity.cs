using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>A label a user gave a run (`PUT /api/runs/{id}/tags`); the run list filters on it.</summary>
public sealed class RunTagEntity
{
    public long RunId { get; set; }
    public required string Tag { get; set; }
}

internal sealed class RunTagEntityConfiguration : IEntityTypeConfiguration<RunTagEntity>
{
    public void Configure(EntityTypeBuilder<RunTagEntity> tag)
    {
        tag.ToTable("run_tags");
        tag.HasKey(t => new { t.RunId, t.Tag });
        tag.HasIndex(t => t.Tag);
        tag.HasOne<RunEntity>().WithMany().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
