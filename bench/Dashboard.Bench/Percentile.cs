namespace Dashboard.Bench;

/// <summary>The nearest-rank percentile every benchmark prints (p50, p95, p99), NaN when nothing was measured.</summary>
public static class Percentile
{
    /// <param name="sorted">Values in ascending order.</param>
    public static double Of(IReadOnlyList<double> sorted, double percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
