namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds from a zero that follows <c>Window</c> points whose median was at least <c>MinPrevious</c>,
/// until the metric leaves zero. The median is taken only at a zero, so other points cost O(1).
/// </summary>
internal sealed class SuddenZeroCondition(RuleDefinition rule) : ICondition
{
    private readonly double[] _ring = new double[rule.Window];
    private readonly double[] _sorted = new double[rule.Window];
    private int _count;
    private int _next;
    private long? _since;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        var zero = Math.Abs(value) <= rule.Tolerance;
        if (!zero)
            _since = null;
        else if (_since is null && step >= rule.AfterStep && _count == rule.Window && WindowMedian.Of(_ring, _sorted, _count) >= rule.MinPrevious)
            _since = step;
        _ring[_next] = value;
        _next = (_next + 1) % rule.Window;
        _count = Math.Min(_count + 1, rule.Window);
        return _since is { } since ? new Reading(true, since, value, rule.Severity) : Reading.Clear;
    }
}
