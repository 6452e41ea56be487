namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while the metric minus its <c>Versus</c> metric, taken at the same step (an evaluation
/// block logs both), is above <c>Threshold</c>; critical above <c>CriticalThreshold</c>.
/// </summary>
internal sealed class GapCondition(RuleDefinition rule) : ICondition
{
    private readonly long[] _steps = [long.MinValue, long.MinValue];
    private readonly double[] _values = new double[2];

    public Reading? Observe(int input, long step, double value)
    {
        _steps[input] = step;
        _values[input] = value;
        if (step < rule.AfterStep || _steps[0] != _steps[1])
            return null;
        var gap = _values[0] - _values[1];
        if (!double.IsFinite(gap) || !(gap > rule.Threshold))
            return Reading.Clear;
        var severity = gap > rule.CriticalThreshold ? AlertSeverity.Critical : rule.Severity;
        return new Reading(true, step, gap, severity);
    }
}
