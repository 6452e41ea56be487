using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while the last <c>Window</c> points, cut into <c>Blocks</c> equal blocks, have block means
/// that move strictly in <c>Direction</c> ("rising continuously", not one noisy point), and the last
/// block differs from the first by <c>MinChange</c> and by <c>MinRatio</c> of the first at least.
/// Block sums are kept up to date as the window slides: O(Blocks) per point, not O(Window).
/// </summary>
internal sealed class TrendCondition(RuleDefinition rule) : ICondition
{
    private double[] _values = new double[rule.Window];
    private long[] _steps = new long[rule.Window];
    private double[] _sums = new double[rule.Blocks];
    private readonly int _size = rule.Window / rule.Blocks;
    private int _oldest;
    private int _count;
    private int _sinceExact;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            Add(point.Step, point.Value);
            if (point.Step < rule.AfterStep || _count < rule.Window)
                continue;
            if (Moving(out var first, out var change) && change >= rule.MinChange && change >= rule.MinRatio * Math.Abs(first))
                watch.Hold(_steps[_oldest], point.Step, point.Value, rule.Severity);
            else
                watch.Clear(point.Step);
        }
    }

    public ICondition Clone()
    {
        var copy = (TrendCondition)MemberwiseClone();
        copy._values = (double[])_values.Clone();
        copy._steps = (long[])_steps.Clone();
        copy._sums = (double[])_sums.Clone();
        return copy;
    }

    /// <summary>Whether the block sums move strictly in the rule's direction; if so, the first block's mean and how far the last one moved from it that way.</summary>
    private bool Moving(out double first, out double change)
    {
        var sign = rule.Direction == Direction.Up ? 1 : -1;
        (first, change) = (0, 0);
        for (var block = 1; block < rule.Blocks; block++)
        {
            if (sign * (_sums[block] - _sums[block - 1]) <= 0)
                return false;
        }
        first = _sums[0] / _size;
        change = sign * (_sums[rule.Blocks - 1] / _size - first);
        return true;
    }

    private double At(int i) => _values[_oldest + i < rule.Window ? _oldest + i : _oldest + i - rule.Window];

    private void Add(long step, double value)
    {
        if (_count < rule.Window)
        {
            var at = _count;
            _values[at] = value;
            _steps[at] = step;
            _sums[_count++ / _size] += value;
            return;
        }
        // Each block's first value moves to the block before it; the oldest leaves; the new one joins the last block.
        _sums[0] -= At(0);
        for (var block = 1; block < rule.Blocks; block++)
        {
            var moving = At(block * _size);
            _sums[block - 1] += moving;
            _sums[block] -= moving;
        }
        _values[_oldest] = value;
        _steps[_oldest] = step;
        _oldest = _oldest + 1 == rule.Window ? 0 : _oldest + 1;
        _sums[rule.Blocks - 1] += value;
        // Sliding sums drift by rounding: recompute them exactly once per window.
        if (++_sinceExact == rule.Window)
        {
            _sinceExact = 0;
            for (var block = 0; block < rule.Blocks; block++)
            {
                _sums[block] = 0;
                for (var i = 0; i < _size; i++)
                    _sums[block] += At(block * _size + i);
            }
        }
    }
}
