namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds after <c>Points</c> consecutive points outside the band of the phase their step is in; a step no band covers clears it.</summary>
internal sealed class BandCondition(RuleDefinition rule) : ICondition
{
    private int _count;
    private long _since;

    public Reading? Observe(int input, long step, double value)
    {
        ExpectedBand? band = null;
        foreach (var candidate in rule.Bands)
        {
            if (candidate.Contains(step))
            {
                band = candidate;
                break;
            }
        }
        if (!double.IsFinite(value))
            return null;
        if (band is null || value >= band.Min && value <= band.Max)
        {
            _count = 0;
            return Reading.Clear;
        }
        if (_count++ == 0)
            _since = step;
        return _count >= rule.Points ? new Reading(true, _since, value, rule.Severity) : Reading.Clear;
    }
}
