using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>What a user wrote about a run (`PUT /api/runs/{id}/note`); reports include it.</summary>
public sealed class RunNoteEntity
{
    public long RunId { get; set; }
    public required string Text { get; set; }
    public long UpdatedAtMs { get; set; }
}

internal sealed class RunNoteEntityConfiguration : IEntityTypeConfiguration<RunNoteEntity>
{
    public void Configure(EntityTypeBuilder<RunNoteEntity> note)
    {
        note.ToTable("run_notes");
        note.HasKey(n => n.RunId);
        note.HasOne<RunEntity>().WithMany().HasForeignKey(n => n.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
