namespace Dashboard.Core.Reports;

/// <summary>What a report says about one run.</summary>
public sealed record RunReport(
    RunFacts Run,
    RunTiming? Timing,
    Throughput? Throughput,
    IReadOnlyList<ConfigEntry> Config,
    IReadOnlyList<MetricReport> Metrics,
    IReadOnlyList<Milestone> Milestones,
    IReadOnlyList<RegimeSwitch> Switches,
    IReadOnlyList<Phase> Phases,
    IReadOnlyList<LearningRateSchedule> LearningRates,
    IReadOnlyList<AlertInput> Alerts,
    BestResult? BestEvaluation,
    CheckpointChoice? Checkpoint,
    SampleSection? Samples);

public sealed record RunFacts(long Id, string Name, string Project, string Status, long? Step, long? TotalSteps)
{
    /// <summary>The run's note and tags when the report was made.</summary>
    public string? Note { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>From the first to the last stored point's wall time.</summary>
public sealed record RunTiming(DateTimeOffset Start, DateTimeOffset End, double WallSeconds);

/// <summary>
/// Training steps per unit of wall time, from the step and wall-time deltas between the first and
/// the last logged point: a line logged every 100 steps counts as 100 steps, not one.
/// </summary>
public sealed record Throughput(
    long FirstStep,
    long LastStep,
    long TimedSteps,
    long LoggedLines,
    long? LogEvery,
    double Seconds,
    double StepsPerSecond,
    double StepsPerHour,
    long? BatchSize,
    string? BatchSizeKey,
    double? SamplesPerSecond);

/// <summary>One leaf of the logged configuration, its path joined with '.'.</summary>
public sealed record ConfigEntry(string Key, string Value);

/// <summary>Statistics of one metric over finite values; NaN and ±Infinity are counted apart.</summary>
public sealed record MetricReport(
    string Key,
    string Family,
    string Direction,
    long Count,
    long NonFinite,
    long? FirstNonFiniteStep,
    ReportPoint Initial,
    ReportPoint Final,
    ReportPoint? Min,
    ReportPoint? Max,
    double? Mean,
    double? Median,
    double? StdDev,
    Change Change);

/// <summary>
/// Initial to final. <see cref="Percent"/> is null where a percentage would mislead (a change of
/// sign, a start at or near zero, a non-finite end).
/// </summary>
public sealed record Change(double? Absolute, double? Percent, string Text);

/// <summary>Values of the headline metrics at one milestone (every 10% of training, or every 10,000 steps).</summary>
public sealed record Milestone(long Step, string Label, IReadOnlyList<MilestoneValue> Values);

/// <summary>The value logged at or last before the milestone step.</summary>
public sealed record MilestoneValue(string Key, long Step, double Value);

/// <summary>A metric that held one exact value (e.g. 0: switched off) and then changed.</summary>
public sealed record RegimeSwitch(string Key, double HeldValue, long HeldUntilStep, long ChangedAtStep, double NewValue, string Text);

/// <summary>A stretch of training between regime switches and how the headline metrics moved in it.</summary>
public sealed record Phase(long FromStep, long ToStep, string Label, IReadOnlyList<PhaseChange> Changes);

public sealed record PhaseChange(string Key, ReportPoint Start, ReportPoint End, Change Change);

public sealed record LearningRateSchedule(string Key, ReportPoint Initial, ReportPoint Min, ReportPoint Max, ReportPoint Final, string? Note);

/// <summary>The best evaluation value (higher is better for IoU/accuracy/AP/F1, lower for losses).</summary>
public sealed record BestResult(string Key, string Direction, ReportPoint Best, ReportPoint Final, long Evaluations);

/// <summary>The checkpoint to keep and why.</summary>
public sealed record CheckpointChoice(string Name, long? Step, string Reason);
