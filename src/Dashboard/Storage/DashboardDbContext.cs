using Dashboard.Core.Records;
using Dashboard.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Storage;

/// <summary>Everything but the points, which live behind <see cref="Points.IPointStore"/>.</summary>
public sealed class DashboardDbContext(DbContextOptions<DashboardDbContext> options) : DbContext(options)
{
    public DbSet<RunEntity> Runs => Set<RunEntity>();
    public DbSet<MetricEntity> Metrics => Set<MetricEntity>();
    public DbSet<SourceFileEntity> SourceFiles => Set<SourceFileEntity>();
    public DbSet<RunEventEntity> RunEvents => Set<RunEventEntity>();
    public DbSet<QuarantinedBatchEntity> Quarantine => Set<QuarantinedBatchEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Each feature (alerts, jobs, reports) keeps its table's mapping beside its entity.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DashboardDbContext).Assembly);
        modelBuilder.Entity<RunEntity>(run =>
        {
            run.ToTable("runs");
            run.HasIndex(r => r.Source).IsUnique();
            // The run list's default order, and its start-date filter.
            run.HasIndex(r => r.UpdatedAtMs);
            run.HasIndex(r => r.StartedAtMs);
            run.Property(r => r.Status).HasConversion(new TolerantEnumConverter<RunStatus>(RunStatus.Stalled));
        });
        modelBuilder.Entity<MetricEntity>(metric =>
        {
            metric.ToTable("metrics");
            metric.HasIndex(m => new { m.RunId, m.Key }).IsUnique();
            metric.HasOne<RunEntity>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SourceFileEntity>(file =>
        {
            file.ToTable("source_files");
            file.HasIndex(f => f.Path).IsUnique();
            // The offset an update was made from must still be the stored one: two web instances committing
            // the same agent's batches (a proxy moved them over) cannot both store one batch.
            file.Property(f => f.Offset).IsConcurrencyToken();
        });
        modelBuilder.Entity<RunEventEntity>(runEvent =>
        {
            runEvent.ToTable("run_events");
            runEvent.HasIndex(e => new { e.RunId, e.Id });
            runEvent.Property(e => e.Kind).HasConversion(new TolerantEnumConverter<RunEventKind>(RunEventKind.ConfigCaptured));
            runEvent.HasOne<RunEntity>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
