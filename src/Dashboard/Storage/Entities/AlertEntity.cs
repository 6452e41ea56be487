using Dashboard.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dashboard.Storage.Entities;

/// <summary>
/// One raised alert: a rule's condition held on a run's metric from <see cref="FirstStep"/> to
/// <see cref="LastStep"/>. It is updated while the condition holds and resolved when it clears.
/// </summary>
public sealed class AlertEntity
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string RuleId { get; set; }
    public required string Metric { get; set; }
    public AlertSeverity Severity { get; set; }
    public required string Message { get; set; }
    public required string Advice { get; set; }
    public long? FirstStep { get; set; }
    public long? LastStep { get; set; }

    /// <summary>
    /// The reading that held the rule, non-finite ones included. Microsoft.Data.Sqlite refuses to
    /// store NaN (±Infinity it keeps as is), so a NaN is kept as <see cref="ValueIsNaN"/> beside a null.
    /// </summary>
    public double? Value
    {
        get => ValueIsNaN ? double.NaN : StoredValue;
        set => (StoredValue, ValueIsNaN) = value is double.NaN ? (null, true) : (value, false);
    }

    /// <summary>The <c>Value</c> column: <see cref="Value"/> unless that is NaN.</summary>
    public double? StoredValue { get; set; }

    public bool ValueIsNaN { get; set; }

    public long RaisedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
    public long? ResolvedAtMs { get; set; }
    public long? AcknowledgedAtMs { get; set; }
}

internal sealed class AlertEntityConfiguration : IEntityTypeConfiguration<AlertEntity>
{
    public void Configure(EntityTypeBuilder<AlertEntity> alert)
    {
        alert.ToTable("alerts");
        alert.HasIndex(a => new { a.RunId, a.RuleId, a.Metric });
        alert.HasIndex(a => a.ResolvedAtMs);
        alert.Property(a => a.Severity).HasConversion(new TolerantEnumConverter<AlertSeverity>(AlertSeverity.Warning));
        alert.Ignore(a => a.Value);
        alert.Property(a => a.StoredValue).HasColumnName("Value");
        alert.HasOne<RunEntity>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
