namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds at a point that rose to <c>Factor</c> times the median of the <c>Window</c> finite points
/// before it (1.0 → 10.0). A median of exactly zero is a switched-off loss (the self-training loss
/// before iteration 1,000): its switching on is not a spike.
/// </summary>
internal sealed class SpikeCondition(RuleDefinition rule) : ICondition
{
    private readonly double[] _ring = new double[rule.Window];
    private readonly double[] _sorted = new double[rule.Window];
    private readonly int[] _minimums = new int[rule.Window];
    private int _count;
    private int _added;
    private int _minHead;
    private int _minCount;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        Reading? reading = null;
        if (step >= rule.AfterStep && _count * 2 >= rule.Window)
            reading = IsSpike(value) ? new Reading(true, step, value, rule.Severity) : Reading.Clear;
        Add(value);
        return reading;
    }

    /// <summary>
    /// For a positive window, a value at most Factor × its minimum is at most Factor × its median:
    /// no spike, decided in O(1). Only the rare larger value pays for a median.
    /// </summary>
    private bool IsSpike(double value)
    {
        var minimum = _ring[_minimums[_minHead]];
        if (minimum > 0 && value <= rule.Factor * minimum)
            return false;
        var median = WindowMedian.Of(_ring, _sorted, _count);
        return median != 0 && value - median > (rule.Factor - 1) * Math.Abs(median);
    }

    /// <summary>Adds to the ring, keeping a deque of ring slots whose values ascend: the window's minimum is at its head.</summary>
    private void Add(double value)
    {
        var slot = _added % rule.Window;
        if (_count == rule.Window && _minCount > 0 && _minimums[_minHead] == slot)
        {
            _minHead = (_minHead + 1) % rule.Window;
            _minCount--;
        }
        _ring[slot] = value;
        while (_minCount > 0 && _ring[_minimums[(_minHead + _minCount - 1) % rule.Window]] >= value)
            _minCount--;
        _minimums[(_minHead + _minCount) % rule.Window] = slot;
        _minCount++;
        _added++;
        if (_count < rule.Window)
            _count++;
    }
}
