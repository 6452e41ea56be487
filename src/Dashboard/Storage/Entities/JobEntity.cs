using Dashboard.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>
/// One evaluation or sampling job on one checkpoint of a run: what the jobs page shows, and what a
/// restart reads back (a job found running was interrupted). Hangfire runs it on a slot's queue; this row keeps
/// the story: attempts, slot, progress, exit code, reason, the last lines of output and the results.
/// </summary>
public sealed class JobEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public JobKind Kind { get; set; }
    public JobStatus Status { get; set; }
    /// <summary>The checkpoint file, relative to the run's folder (rows from older builds: its full path).</summary>
    public required string Checkpoint { get; set; }
    public long? CheckpointStep { get; set; }
    /// <summary>manual or auto.</summary>
    public required string Origin { get; set; }
    public int Attempts { get; set; }
    /// <summary>The Hangfire queue it was put on: a GPU slot of this machine (<c>gpu0</c>) or of a training node's worker (<c>node-a-gpu1</c>).</summary>
    public string? Queue { get; set; }
    /// <summary>Hangfire's id of the job, to take it off its queue or stop it (from any instance) when it is cancelled.</summary>
    public string? HangfireId { get; set; }
    /// <summary>The <c>CUDA_VISIBLE_DEVICES</c> value it ran with.</summary>
    public string? Slot { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public int? ProgressDone { get; set; }
    public int? ProgressTotal { get; set; }
    public string OutputTail { get; set; } = "";
    /// <summary>The step the results were written at (metrics.json's, else the checkpoint's).</summary>
    public long? ResultStep { get; set; }
    /// <summary>{name: value} of the metrics that became points.</summary>
    public string? MetricsJson { get; set; }
    /// <summary>The samples (<see cref="Core.Jobs.SamplePair"/>) found in the output folder.</summary>
    public string? SamplesJson { get; set; }
    public long CreatedAtMs { get; set; }
    public long? StartedAtMs { get; set; }
    public long? FinishedAtMs { get; set; }
}

internal sealed class JobEntityConfiguration : IEntityTypeConfiguration<JobEntity>
{
    public void Configure(EntityTypeBuilder<JobEntity> job)
    {
        job.ToTable("jobs");
        job.HasIndex(j => new { j.RunId, j.Id });
        job.HasIndex(j => j.Status);
        job.Property(j => j.Kind).HasConversion(new TolerantEnumConverter<JobKind>(JobKind.Evaluate));
        job.Property(j => j.Status).HasConversion(new TolerantEnumConverter<JobStatus>(JobStatus.Failed));
        job.HasOne<RunEntity>().WithMany().HasForeignKey(j => j.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
