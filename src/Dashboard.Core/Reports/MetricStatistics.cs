using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>Initial, final, extremes with their steps, mean, median and (population) standard deviation of one metric.</summary>
public static class MetricStatistics
{
    public static MetricReport Describe(string key, IReadOnlyList<StoredPoint> points)
    {
        if (points.Count == 0)
            throw new ArgumentException($"Metric '{key}' has no points.", nameof(points));

        var finite = new List<double>(points.Count);
        ReportPoint? min = null, max = null;
        long? firstNonFinite = null;
        double mean = 0, m2 = 0;
        foreach (var p in points)
        {
            if (!double.IsFinite(p.Value))
            {
                firstNonFinite ??= p.Step;
                continue;
            }
            finite.Add(p.Value);
            // Welford: stable for the large, sign-changing values of VAE losses.
            var delta = p.Value - mean;
            mean += delta / finite.Count;
            m2 += delta * (p.Value - mean);
            if (min is null || p.Value < min.Value) min = new ReportPoint(p.Step, p.Value);
            if (max is null || p.Value > max.Value) max = new ReportPoint(p.Step, p.Value);
        }

        var direction = MetricKinds.Direction(key);
        var initial = new ReportPoint(points[0].Step, points[0].Value);
        var final = new ReportPoint(points[^1].Step, points[^1].Value);
        var hasFinite = finite.Count > 0;
        return new MetricReport(
            key,
            MetricKinds.Family(key),
            direction,
            points.Count,
            points.Count - finite.Count,
            firstNonFinite,
            initial,
            final,
            min,
            max,
            hasFinite ? mean : null,
            hasFinite ? Median(finite) : null,
            hasFinite ? Math.Sqrt(m2 / finite.Count) : null,
            ChangeWording.Describe(initial.Value, final.Value, direction));
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// <summary>The last point at or before a step; null when the metric starts after it.</summary>
    public static StoredPoint? AtOrBefore(IReadOnlyList<StoredPoint> points, long step)
    {
        int lo = 0, hi = points.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (points[mid].Step <= step)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? null : points[found];
    }
}
