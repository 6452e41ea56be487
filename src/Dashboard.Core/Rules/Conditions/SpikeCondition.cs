using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds at a point that rose to <c>Factor</c> times the median of the <c>Window</c> finite points
/// before it (1.0 → 10.0). A median of exactly zero is a switched-off loss (the self-training loss
/// before iteration 1,000): its switching on is not a spike.
/// </summary>
internal sealed class SpikeCondition(RuleDefinition rule) : ICondition
{
    private SortedWindow _window = new(rule.Window);

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            if (point.Step >= rule.AfterStep && _window.Count * 2 >= rule.Window)
            {
                if (IsSpike(point.Value))
                    watch.Hold(point.Step, point.Step, point.Value, rule.Severity);
                else
                    watch.Clear(point.Step);
            }
            _window.Add(point.Value);
        }
    }

    public ICondition Clone()
    {
        var copy = (SpikeCondition)MemberwiseClone();
        copy._window = _window.Clone();
        return copy;
    }

    private bool IsSpike(double value)
    {
        var median = _window.Median;
        return median != 0 && value - median > (rule.Factor - 1) * Math.Abs(median);
    }
}
