using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>Consecutive points that passed a condition's test: the rule holds once there are <c>Points</c> of them.</summary>
internal struct Streak
{
    private int _count;
    private long _since;

    /// <summary>One more passing point: the rule holds (since the streak's first step) once the streak is long enough.</summary>
    public void Extend(in StoredPoint point, RuleDefinition rule, AlertSeverity severity, Watch watch)
    {
        if (_count++ == 0)
            _since = point.Step;
        if (_count >= rule.Points)
            watch.Hold(_since, point.Step, point.Value, severity);
        else
            watch.Clear(point.Step);
    }

    public void Reset() => _count = 0;
}
