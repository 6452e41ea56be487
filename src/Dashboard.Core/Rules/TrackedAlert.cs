namespace Dashboard.Core.Rules;

/// <summary>
/// One alert of one run as the engine holds it: raised when its rule's condition began to hold,
/// updated while it holds, resolved when it clears. <see cref="StoreId"/> is the host's row id.
/// </summary>
public sealed class TrackedAlert
{
    public required string RuleId { get; init; }
    public required string Metric { get; init; }
    public required string Message { get; init; }
    public required string Advice { get; init; }
    public required long? FirstStep { get; init; }
    public long? LastStep { get; set; }
    public double? Value { get; set; }
    public AlertSeverity Severity { get; set; }
    public bool Resolved { get; set; }
    public long StoreId { get; set; }

    /// <summary>A copy that changes apart from this one.</summary>
    public TrackedAlert Copy() => (TrackedAlert)MemberwiseClone();
}
