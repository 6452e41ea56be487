using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>Holds after <c>Points</c> consecutive points outside the band of the phase their step is in; a step no band covers clears it.</summary>
internal sealed class BandCondition(RuleDefinition rule) : ICondition
{
    private Streak _streak;
    // Steps rise, so the band of the last point is nearly always the band of the next.
    private ExpectedBand? _band;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            var band = _band is not null && _band.Contains(point.Step) ? _band : FindBand(point.Step);
            if (band is null || point.Value >= band.Min && point.Value <= band.Max)
            {
                _streak.Reset();
                watch.Clear(point.Step);
            }
            else
            {
                _streak.Extend(point, rule, rule.Severity, watch);
            }
        }
    }

    private ExpectedBand? FindBand(long step)
    {
        foreach (var band in rule.Bands)
        {
            if (band.Contains(step))
                return _band = band;
        }
        return _band = null;
    }
}
