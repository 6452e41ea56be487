using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while, over the last <c>Window</c> points of each, the metric's second half moved in
/// <c>Direction</c> from its first half and the <c>Versus</c> metric moved the other way, each by
/// <c>MinChange</c> and by <c>MinRatio</c> of its first half at least: validation falling while
/// training rises, or the reverse for losses.
/// </summary>
internal sealed class DivergingCondition(RuleDefinition rule) : ICondition
{
    private RollingWindow[] _windows = [new(rule.Window), new(rule.Window)];
    private long _lastStep = long.MinValue;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        var sign = rule.Direction == Direction.Up ? 1 : -1;
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            _windows[input].Add(point.Value);
            if (input == 0)
                _lastStep = point.Step;
            if (point.Step < rule.AfterStep || !_windows[0].IsFull || !_windows[1].IsFull)
                continue;
            if (Moved(_windows[0], sign) && Moved(_windows[1], -sign))
                watch.Hold(_lastStep, point.Step, _windows[0][rule.Window - 1], rule.Severity);
            else
                watch.Clear(point.Step);
        }
    }

    public ICondition Clone()
    {
        var copy = (DivergingCondition)MemberwiseClone();
        copy._windows = [_windows[0].Clone(), _windows[1].Clone()];
        return copy;
    }

    private bool Moved(RollingWindow window, int sign)
    {
        var half = rule.Window / 2;
        var first = window.Mean(0, half);
        var change = sign * (window.Mean(half, half) - first);
        return change > 0 && change >= rule.MinChange && change >= rule.MinRatio * Math.Abs(first);
    }
}
