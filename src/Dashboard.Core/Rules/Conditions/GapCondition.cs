using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while the metric minus its <c>Versus</c> metric, taken at the same step (an evaluation
/// block logs both), is above <c>Threshold</c>; critical above <c>CriticalThreshold</c>.
/// </summary>
internal sealed class GapCondition(RuleDefinition rule) : ICondition
{
    private long[] _steps = [long.MinValue, long.MinValue];
    private double[] _values = new double[2];

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            _steps[input] = point.Step;
            _values[input] = point.Value;
            if (point.Step < rule.AfterStep || _steps[0] != _steps[1])
                continue;
            var gap = _values[0] - _values[1];
            if (!double.IsFinite(gap) || !(gap > rule.Threshold))
                watch.Clear(point.Step);
            else
                watch.Hold(point.Step, point.Step, gap, gap > rule.CriticalThreshold ? AlertSeverity.Critical : rule.Severity);
        }
    }

    public ICondition Clone()
    {
        var copy = (GapCondition)MemberwiseClone();
        copy._steps = (long[])_steps.Clone();
        copy._values = (double[])_values.Clone();
        return copy;
    }
}
