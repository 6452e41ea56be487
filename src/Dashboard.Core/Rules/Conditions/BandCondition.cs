using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// Judges the mean of the last <c>Window</c> finite points (1 when unset) against the band of the
/// phase the step is in: holds after <c>Points</c> consecutive means outside it, and clears only once
/// the mean is back inside by a tenth of the band's width (or no band covers the step). A noisy loss
/// whose single points cross the band's edge all day neither raises nor clears an alert by itself.
/// </summary>
internal sealed class BandCondition(RuleDefinition rule) : ICondition
{
    private const double ClearMargin = 0.1;
    private RollingWindow _recent = new(Math.Max(1, rule.Window));
    private double _sum;
    private int _outside;
    private long _since;
    // Steps rise, so the band of the last point is nearly always the band of the next.
    private ExpectedBand? _band;

    public void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch)
    {
        foreach (ref readonly var point in points)
        {
            if (!double.IsFinite(point.Value))
                continue;
            var mean = Smooth(point.Value);
            var band = _band is not null && _band.Contains(point.Step) ? _band : FindBand(point.Step);
            if (band is not null && (mean < band.Min || mean > band.Max))
            {
                if (_outside++ == 0)
                    _since = point.Step;
                // A new streak outside while the alert is still open goes on holding it: it is not a clear reading.
                if (_outside >= rule.Points || watch.Open is not null)
                    watch.Hold(_since, point.Step, mean, rule.Severity);
                continue;
            }
            _outside = 0;
            if (band is null || IsWellInside(mean, band))
                watch.Clear(point.Step);
        }
    }

    public ICondition Clone()
    {
        var copy = (BandCondition)MemberwiseClone();
        copy._recent = _recent.Clone();
        return copy;
    }

    /// <summary>Inside by a tenth of the width; a band open on one side has no width to take a tenth of.</summary>
    private static bool IsWellInside(double mean, ExpectedBand band)
    {
        var width = band.Max - band.Min;
        var margin = double.IsFinite(width) ? width * ClearMargin : 0;
        return mean >= band.Min + margin && mean <= band.Max - margin;
    }

    /// <summary>The window's mean with <paramref name="value"/> in it; the sum is kept, so this is O(1).</summary>
    private double Smooth(double value)
    {
        if (_recent.IsFull)
            _sum -= _recent[0];
        _recent.Add(value);
        _sum += value;
        return _sum / _recent.Count;
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
