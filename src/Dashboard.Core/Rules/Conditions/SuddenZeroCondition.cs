using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds from a zero that follows <c>Window</c> points whose median was at least <c>MinPrevious</c>, once
/// the metric has stayed zero for <c>Points</c> readings, until it leaves zero. A count per batch (the
/// guide's ST_Count) is zero now and then on a healthy run: one zero is noise, a run of them is the drop
/// the guide means. The median is judged only at a first zero, so other points cost O(1).
/// </summary>
internal sealed class SuddenZeroCondition(RuleDefinition rule) : ICondition
{
    private double[] _ring = new double[rule.Window];
    private int _count;
    private int _next;
    // The first zero after a window that qualified, and how many zeros in a row since.
    private long? _dropped;
    private int _zeros;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            var zero = Math.Abs(point.Value) <= rule.Tolerance;
            if (!zero)
                (_dropped, _zeros) = (null, 0);
            else if (_dropped is not null)
                _zeros++;
            else if (point.Step >= rule.AfterStep && _count == rule.Window && WindowMedian.AtLeast(_ring, rule.MinPrevious))
                (_dropped, _zeros) = (point.Step, 1);
            _ring[_next] = point.Value;
            _next = _next + 1 == rule.Window ? 0 : _next + 1;
            if (_count < rule.Window)
                _count++;
            if (_dropped is { } since && _zeros >= rule.Points)
                watch.Hold(since, point.Step, point.Value, rule.Severity);
            else
                watch.Clear(point.Step);
        }
    }

    public ICondition Clone()
    {
        var copy = (SuddenZeroCondition)MemberwiseClone();
        copy._ring = (double[])_ring.Clone();
        return copy;
    }
}
