namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds while the best value so far (higher or lower by <c>Direction</c>) is <c>Steps</c> steps old or more; its value is the best.</summary>
internal sealed class PlateauCondition(RuleDefinition rule) : ICondition
{
    private double _best = double.NaN;
    private long _bestStep;

    public Reading? Observe(int input, long step, double value)
    {
        if (!double.IsFinite(value))
            return null;
        var better = rule.Direction == Direction.Up ? value > _best : value < _best;
        if (double.IsNaN(_best) || better)
        {
            _best = value;
            _bestStep = step;
            return Reading.Clear;
        }
        return step - _bestStep >= rule.Steps && step >= rule.AfterStep
            ? new Reading(true, _bestStep + rule.Steps, _best, rule.Severity)
            : Reading.Clear;
    }
}
