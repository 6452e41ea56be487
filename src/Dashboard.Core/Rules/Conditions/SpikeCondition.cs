namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds at a point that rose to <c>Factor</c> times the median of the <c>Window</c> finite points
/// before it (1.0 → 10.0). A median of exactly zero is a switched-off loss (the self-training loss
/// before iteration 1,000): its switching on is not a spike.
/// </summary>
internal sealed class SpikeCondition(RuleDefinition rule) : ICondition
{
    private readonly RollingWindow _window = new(rule.Window);

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        Reading? reading = null;
        if (step >= rule.AfterStep && _window.Count * 2 >= rule.Window)
        {
            var median = _window.Median;
            reading = median != 0 && value - median > (rule.Factor - 1) * Math.Abs(median)
                ? new Reading(true, step, value, rule.Severity)
                : Reading.Clear;
        }
        _window.Add(value);
        return reading;
    }
}
