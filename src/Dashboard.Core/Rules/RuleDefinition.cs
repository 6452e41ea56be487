using Dashboard.Core.Records;

namespace Dashboard.Core.Rules;

/// <summary>
/// One rule as configuration holds it (the <c>Rules:{id}</c> section; the id is its key). Which
/// parameters matter depends on <see cref="Kind"/>; <see cref="RuleSetValidator"/> names the missing ones.
/// </summary>
public sealed record RuleDefinition
{
    public bool Enabled { get; init; } = true;
    public RuleKind? Kind { get; init; }

    /// <summary>Metric names or patterns (<c>*</c>, <c>?</c>; case-insensitive), so <c>Loss_D</c> and <c>train/d_loss</c> map to one rule.</summary>
    public List<string> Metrics { get; init; } = [];

    /// <summary>The second metric of <see cref="RuleKind.Gap"/> and <see cref="RuleKind.Diverging"/>, paired with the first by name (<c>train/x</c> with <c>val/x</c>).</summary>
    public List<string> Versus { get; init; } = [];

    public AlertSeverity Severity { get; init; } = AlertSeverity.Warning;

    /// <summary>What is wrong; <c>{metric}</c> and <c>{versus}</c> are replaced by the metric names.</summary>
    public string Message { get; init; } = "";

    /// <summary>What to do about it (the guide's advice).</summary>
    public string Advice { get; init; } = "";

    public double? Threshold { get; init; }
    public double? CriticalThreshold { get; init; }
    public long AfterStep { get; init; }
    public double? Value { get; init; }
    public double Tolerance { get; init; } = 1e-9;
    public int Points { get; init; } = 1;
    public int Window { get; init; }
    public int Blocks { get; init; } = 2;
    public double Factor { get; init; }
    public double MinChange { get; init; }
    public double MinRatio { get; init; }
    public double MinPrevious { get; init; }
    public long Steps { get; init; }
    public Direction Direction { get; init; } = Direction.Up;
    public List<ExpectedBand> Bands { get; init; } = [];
    public List<RunEventKind> Events { get; init; } = [];
}
