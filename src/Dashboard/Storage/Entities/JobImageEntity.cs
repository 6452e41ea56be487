using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>
/// A PNG a job wrote, kept in the store: a worker on a GPU node writes it, and any web instance serves it
/// (<c>GET /api/jobs/{id}/files/{name}</c>) without sharing the worker's disk.
/// </summary>
public sealed class JobImageEntity
{
    public long Id { get; set; }
    public long JobId { get; set; }
    /// <summary>A plain PNG file name (<see cref="Core.Jobs.SampleManifest.IsSafeImageName"/>), unique within the job.</summary>
    public required string Name { get; set; }
    public required byte[] Bytes { get; set; }
}

internal sealed class JobImageEntityConfiguration : IEntityTypeConfiguration<JobImageEntity>
{
    public void Configure(EntityTypeBuilder<JobImageEntity> image)
    {
        image.ToTable("job_images");
        image.HasIndex(i => new { i.JobId, i.Name }).IsUnique();
        image.HasOne<JobEntity>().WithMany().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
