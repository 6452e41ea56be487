using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds at a point that rose to <c>Factor</c> times the median of the <c>Window</c> finite points
/// before it (1.0 → 10.0). A median of exactly zero is a switched-off loss (the self-training loss
/// before iteration 1,000): its switching on is not a spike.
/// </summary>
internal sealed class SpikeCondition(RuleDefinition rule) : ICondition
{
    private readonly int _window = rule.Window;
    private readonly double[] _ring = new double[rule.Window];
    private readonly double[] _sorted = new double[rule.Window];
    // The window's minimum, kept as in van Herk / Gil-Werman: the minimum of the newest points of the
    // ring's current lap, and of each tail of its previous lap (the rest of the window), taken once a lap.
    private readonly double[] _tailMinimums = [.. Enumerable.Repeat(double.PositiveInfinity, rule.Window + 1)];
    private double _lapMinimum;
    private double _minimum;
    private int _count;
    private int _slot;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            if (point.Step >= rule.AfterStep && _count * 2 >= _window)
            {
                if (IsSpike(point.Value))
                    watch.Hold(point.Step, point.Step, point.Value, rule.Severity);
                else
                    watch.Clear(point.Step);
            }
            Add(point.Value);
        }
    }

    /// <summary>
    /// For a positive window, a value at most Factor × its minimum is at most Factor × its median:
    /// no spike, decided in O(1). Only the rare larger value pays for a median.
    /// </summary>
    private bool IsSpike(double value)
    {
        if (_minimum > 0 && value <= rule.Factor * _minimum)
            return false;
        var median = WindowMedian.Of(_ring, _sorted, _count);
        return median != 0 && value - median > (rule.Factor - 1) * Math.Abs(median);
    }

    private void Add(double value)
    {
        var slot = _slot;
        if (slot == 0 && _count == _window)
        {
            for (var i = _window - 1; i >= 0; i--)
                _tailMinimums[i] = Math.Min(_ring[i], _tailMinimums[i + 1]);
        }
        _ring[slot] = value;
        _lapMinimum = slot == 0 ? value : Math.Min(_lapMinimum, value);
        _minimum = Math.Min(_lapMinimum, _tailMinimums[slot + 1]);
        _slot = slot + 1 == _window ? 0 : slot + 1;
        if (_count < _window)
            _count++;
    }
}
