namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while, over the last <c>Window</c> points of each, the metric's second half moved in
/// <c>Direction</c> from its first half and the <c>Versus</c> metric moved the other way, each by
/// <c>MinChange</c> and by <c>MinRatio</c> of its first half at least: validation falling while
/// training rises, or the reverse for losses.
/// </summary>
internal sealed class DivergingCondition(RuleDefinition rule) : ICondition
{
    private readonly RollingWindow[] _windows = [new(rule.Window), new(rule.Window)];
    private long _lastStep = long.MinValue;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        _windows[input].Add(value);
        if (input == 0)
            _lastStep = step;
        if (step < rule.AfterStep || !_windows[0].IsFull || !_windows[1].IsFull)
            return null;
        var sign = rule.Direction == Direction.Up ? 1 : -1;
        return Moved(_windows[0], sign) && Moved(_windows[1], -sign)
            ? new Reading(true, _lastStep, _windows[0][rule.Window - 1], rule.Severity)
            : Reading.Clear;
    }

    private bool Moved(RollingWindow window, int sign)
    {
        var half = rule.Window / 2;
        var first = window.Mean(0, half);
        var change = sign * (window.Mean(half, half) - first);
        return change > 0 && change >= rule.MinChange && change >= rule.MinRatio * Math.Abs(first);
    }
}
