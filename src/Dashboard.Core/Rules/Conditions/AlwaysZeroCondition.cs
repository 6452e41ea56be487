namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds while every point since <c>AfterStep</c> is zero, once <c>Points</c> are in; one non-zero point clears it for good.</summary>
internal sealed class AlwaysZeroCondition(RuleDefinition rule) : ICondition
{
    private int _count;
    private long _since;
    private bool _nonZero;

    public Reading? Observe(int input, long step, double value)
    {
        if (step <= rule.AfterStep || _nonZero)
            return null;
        if (!(Math.Abs(value) <= rule.Tolerance))
        {
            _nonZero = true;
            return Reading.Clear;
        }
        if (_count++ == 0)
            _since = step;
        return _count >= rule.Points ? new Reading(true, _since, value, rule.Severity) : Reading.Clear;
    }
}
