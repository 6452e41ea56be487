namespace Dashboard.Storage.Entities;

public sealed class RunEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Project { get; set; }
    public required string Source { get; set; }
    public RunStatus Status { get; set; }
    public long? Step { get; set; }
    public long? TotalSteps { get; set; }
    public long StartedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
    public string? ConfigJson { get; set; }

    /// <summary>Figures about the whole run (Hugging Face's train_runtime, train_loss; add_hparams' metrics), as JSON.</summary>
    public string? SummaryJson { get; set; }
    public long SkippedBytes { get; set; }
}
