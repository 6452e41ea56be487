namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds once <c>Points</c> consecutive points after <c>AfterStep</c> pass a test: above or below a
/// threshold, stuck at a value, non-finite, back at a value it had left.
/// </summary>
internal sealed class ConsecutiveCondition(RuleDefinition rule, Func<double, bool> test, Func<double, AlertSeverity>? severity = null, bool needsPriorMiss = false) : ICondition
{
    private int _count;
    private long _since;
    private bool _missed;

    public Reading? Observe(int input, long step, double value)
    {
        if (step < rule.AfterStep)
            return null;
        if (!test(value))
        {
            _missed = true;
            _count = 0;
            return Reading.Clear;
        }
        if (needsPriorMiss && !_missed)
            return Reading.Clear;
        if (_count++ == 0)
            _since = step;
        return _count >= rule.Points ? new Reading(true, _since, value, severity?.Invoke(value) ?? rule.Severity) : Reading.Clear;
    }
}
