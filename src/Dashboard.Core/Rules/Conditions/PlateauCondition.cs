using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds while the best value so far (higher or lower by <c>Direction</c>) is <c>Steps</c> steps old or more; its value is the best.</summary>
internal sealed class PlateauCondition(RuleDefinition rule) : ICondition
{
    private double _best = double.NaN;
    private long _bestStep;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            var better = rule.Direction == Direction.Up ? point.Value > _best : point.Value < _best;
            if (double.IsNaN(_best) || better)
            {
                _best = point.Value;
                _bestStep = point.Step;
                watch.Clear(point.Step);
            }
            else if (point.Step - _bestStep >= rule.Steps && point.Step >= rule.AfterStep)
            {
                watch.Hold(_bestStep + rule.Steps, point.Step, _best, rule.Severity);
            }
            else
            {
                watch.Clear(point.Step);
            }
        }
    }

    // Fields of values only: a shallow copy is a whole one.
    public ICondition Clone() => (PlateauCondition)MemberwiseClone();
}
