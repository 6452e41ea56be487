namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds from a zero that follows <c>Window</c> points whose median was at least <c>MinPrevious</c>, until the metric leaves zero.</summary>
internal sealed class SuddenZeroCondition(RuleDefinition rule) : ICondition
{
    private readonly RollingWindow _window = new(rule.Window);
    private long? _since;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        var zero = Math.Abs(value) <= rule.Tolerance;
        if (!zero)
            _since = null;
        else if (_since is null && step >= rule.AfterStep && _window.IsFull && _window.Median >= rule.MinPrevious)
            _since = step;
        _window.Add(value);
        return _since is { } since ? new Reading(true, since, value, rule.Severity) : Reading.Clear;
    }
}
