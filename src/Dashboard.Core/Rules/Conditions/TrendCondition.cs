namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while the last <c>Window</c> points, cut into <c>Blocks</c> equal blocks, have block means
/// that move strictly in <c>Direction</c> ("rising continuously", not one noisy point), and the last
/// block differs from the first by <c>MinChange</c> and by <c>MinRatio</c> of the first at least.
/// Block sums are kept up to date as the window slides: O(Blocks) per point, not O(Window).
/// </summary>
internal sealed class TrendCondition(RuleDefinition rule) : ICondition
{
    private readonly double[] _values = new double[rule.Window];
    private readonly long[] _steps = new long[rule.Window];
    private readonly double[] _sums = new double[rule.Blocks];
    private readonly int _size = rule.Window / rule.Blocks;
    private int _oldest;
    private int _count;
    private int _sinceExact;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        Add(step, value);
        if (step < rule.AfterStep || _count < rule.Window)
            return null;
        var sign = rule.Direction == Direction.Up ? 1 : -1;
        for (var block = 1; block < rule.Blocks; block++)
        {
            if (sign * (_sums[block] - _sums[block - 1]) <= 0)
                return Reading.Clear;
        }
        var first = _sums[0] / _size;
        var change = sign * (_sums[rule.Blocks - 1] / _size - first);
        return change >= rule.MinChange && change >= rule.MinRatio * Math.Abs(first)
            ? new Reading(true, _steps[_oldest], value, rule.Severity)
            : Reading.Clear;
    }

    private double At(int i) => _values[(_oldest + i) % rule.Window];

    private void Add(long step, double value)
    {
        if (_count < rule.Window)
        {
            var at = (_oldest + _count) % rule.Window;
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
        _oldest = (_oldest + 1) % rule.Window;
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
