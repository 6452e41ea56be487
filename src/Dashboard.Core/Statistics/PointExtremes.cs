using Dashboard.Core.Records;

namespace Dashboard.Core.Statistics;

/// <summary>
/// Where a run of points has its first minimum, first maximum (NaN skipped, ±Infinity included) and
/// first NaN, as indexes into the run (-1 when there is none), and how many NaNs it holds. The one scan
/// behind downsampling and chunk summaries, so they agree on which point is "the" extreme.
/// </summary>
public readonly record struct PointExtremes(int Min, int Max, int FirstNaN, int NaNCount)
{
    public static PointExtremes Scan(ReadOnlySpan<StoredPoint> points)
    {
        int min = -1, max = -1, firstNaN = -1, nanCount = 0;
        double minValue = 0, maxValue = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var value = points[i].Value;
            if (double.IsNaN(value))
            {
                nanCount++;
                if (firstNaN < 0)
                    firstNaN = i;
                continue;
            }
            if (min < 0 || value < minValue)
                (min, minValue) = (i, value);
            if (max < 0 || value > maxValue)
                (max, maxValue) = (i, value);
        }
        return new PointExtremes(min, max, firstNaN, nanCount);
    }
}
