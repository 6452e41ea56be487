using Dashboard.Core.Records;

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

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            var zero = Math.Abs(point.Value) <= rule.Tolerance;
            if (!zero)
                _since = null;
            else if (_since is null && point.Step >= rule.AfterStep && _count == rule.Window && WindowMedian.Of(_ring, _sorted, _count) >= rule.MinPrevious)
                _since = point.Step;
            _ring[_next] = point.Value;
            _next = _next + 1 == rule.Window ? 0 : _next + 1;
            if (_count < rule.Window)
                _count++;
            if (_since is { } since)
                watch.Hold(since, point.Step, point.Value, rule.Severity);
            else
                watch.Clear(point.Step);
        }
    }
}
