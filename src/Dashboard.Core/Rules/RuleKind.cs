namespace Dashboard.Core.Rules;

/// <summary>What a rule watches for. Each kind reads the parameters of <see cref="RuleDefinition"/> it names.</summary>
public enum RuleKind
{
    /// <summary>A NaN or infinite value.</summary>
    NonFinite,
    /// <summary>Above <c>Threshold</c> for <c>Points</c> consecutive points after <c>AfterStep</c> (escalates above <c>CriticalThreshold</c>).</summary>
    Above,
    /// <summary>Below <c>Threshold</c> for <c>Points</c> consecutive points after <c>AfterStep</c>.</summary>
    Below,
    /// <summary>Within <c>Tolerance</c> of <c>Value</c> for <c>Points</c> consecutive points.</summary>
    Stuck,
    /// <summary>Reaches <c>Value</c> (± <c>Tolerance</c>) after having been away from it.</summary>
    DropsTo,
    /// <summary>Zero (± <c>Tolerance</c>) at every point after <c>AfterStep</c>, once <c>Points</c> of them are in.</summary>
    AlwaysZero,
    /// <summary>Jumps to <c>Factor</c> times the median of the <c>Window</c> points before it.</summary>
    Spike,
    /// <summary>Moves in <c>Direction</c> across <c>Blocks</c> consecutive blocks of a <c>Window</c>, by <c>MinChange</c> and <c>MinRatio</c> at least.</summary>
    Trend,
    /// <summary>Drops to zero while the median of the <c>Window</c> points before it is at least <c>MinPrevious</c>.</summary>
    SuddenZero,
    /// <summary>The metric minus its <c>Versus</c> metric at the same step is above <c>Threshold</c> (escalates above <c>CriticalThreshold</c>).</summary>
    Gap,
    /// <summary>The best value (in <c>Direction</c>) has not improved for <c>Steps</c> steps.</summary>
    Plateau,
    /// <summary>Over a <c>Window</c>, the metric moves in <c>Direction</c> while its <c>Versus</c> metric moves the other way, each by <c>MinChange</c> and <c>MinRatio</c>.</summary>
    Diverging,
    /// <summary>Outside the expected band of the training phase the step is in (<c>Bands</c>) for <c>Points</c> consecutive points.</summary>
    Band,
    /// <summary>The log reported one of <c>Events</c> (a crash, an out-of-memory error); clears when training goes on past it.</summary>
    Event,
    /// <summary>The run stopped sending data while not finished.</summary>
    Stalled,
}
