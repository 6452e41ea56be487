using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds while every point since <c>AfterStep</c> is zero, once <c>Points</c> are in; one non-zero point clears it for good.</summary>
internal sealed class AlwaysZeroCondition(RuleDefinition rule) : ICondition
{
    private Streak _streak;
    private bool _nonZero;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (_nonZero)
                return;
            if (point.Step <= rule.AfterStep)
                continue;
            if (!(Math.Abs(point.Value) <= rule.Tolerance))
            {
                _nonZero = true;
                watch.Clear(point.Step);
            }
            else
            {
                _streak.Extend(point, rule, rule.Severity, watch);
            }
        }
    }

    // Fields of values only: a shallow copy is a whole one.
    public ICondition Clone() => (AlwaysZeroCondition)MemberwiseClone();
}
