using System.Runtime.CompilerServices;
using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Holds once <c>Points</c> consecutive points after <c>AfterStep</c> pass the rule's test: above or
/// below a threshold, stuck at a value, non-finite, back at a value it had left (<c>DropsTo</c>).
/// </summary>
internal sealed class ConsecutiveCondition(RuleDefinition rule) : ICondition
{
    private readonly RuleKind _kind = rule.Kind!.Value;
    private readonly double _threshold = rule.Threshold ?? double.NaN;
    private readonly double _critical = rule.CriticalThreshold ?? double.NaN;
    private readonly double _value = rule.Value ?? double.NaN;
    private Streak _streak;
    private bool _missed;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (point.Step < rule.AfterStep)
                continue;
            if (!Passes(point.Value))
            {
                _missed = true;
                _streak.Reset();
                watch.Clear(point.Step);
            }
            else if (_kind == RuleKind.DropsTo && !_missed)
            {
                watch.Clear(point.Step);
            }
            else
            {
                _streak.Extend(point, rule, Severity(point.Value), watch);
            }
        }
    }

    // Fields of values only: a shallow copy is a whole one.
    public ICondition Clone() => (ConsecutiveCondition)MemberwiseClone();

    // A switch rather than a delegate per kind: this runs for every point of every loss.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Passes(double value) => _kind switch
    {
        RuleKind.NonFinite => !double.IsFinite(value),
        RuleKind.Above => value > _threshold,
        RuleKind.Below => value < _threshold,
        _ => Math.Abs(value - _value) <= rule.Tolerance,
    };

    private AlertSeverity Severity(double value) =>
        _kind == RuleKind.Above && value > _critical || _kind == RuleKind.Below && value < _critical ? AlertSeverity.Critical : rule.Severity;
}
