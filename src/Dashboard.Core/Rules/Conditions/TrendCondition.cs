namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds while the last <c>Window</c> points, cut into <c>Blocks</c> equal blocks, have block means
/// that move strictly in <c>Direction</c> ("rising continuously", not one noisy point), and the last
/// block differs from the first by <c>MinChange</c> and by <c>MinRatio</c> of the first at least.
/// </summary>
internal sealed class TrendCondition(RuleDefinition rule) : ICondition
{
    private readonly RollingWindow _window = new(rule.Window);
    private readonly long[] _steps = new long[rule.Window];
    private int _next;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        _window.Add(value);
        _steps[_next] = step;
        _next = (_next + 1) % rule.Window;
        if (step < rule.AfterStep || !_window.IsFull)
            return null;
        var sign = rule.Direction == Direction.Up ? 1 : -1;
        var size = rule.Window / rule.Blocks;
        var first = _window.Mean(0, size);
        var previous = first;
        for (var block = 1; block < rule.Blocks; block++)
        {
            var mean = _window.Mean(block * size, size);
            if (sign * (mean - previous) <= 0)
                return Reading.Clear;
            previous = mean;
        }
        var change = sign * (previous - first);
        return change >= rule.MinChange && change >= rule.MinRatio * Math.Abs(first)
            ? new Reading(true, _steps[_next], value, rule.Severity)
            : Reading.Clear;
    }
}
