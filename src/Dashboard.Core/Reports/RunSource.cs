using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>
/// Every stored point of one metric of the run, in step order. The list may be the reader's one
/// buffer, refilled by the next read: what outlives the read must be copied out of it.
/// </summary>
public delegate ValueTask<IReadOnlyList<StoredPoint>> PointsReader(string key, CancellationToken cancellationToken);

/// <summary>
/// A run whose points are read one metric at a time while its report is made, so that a run of
/// millions of points is never held whole: <see cref="Keys"/> and <see cref="Read"/> stand for
/// <see cref="RunInput.Metrics"/>, which a store's snapshot leaves empty.
/// </summary>
public sealed record RunSource(RunInput Run, IReadOnlyList<string> Keys, PointsReader Read)
{
    /// <summary>A run whose points are already in memory.</summary>
    public static RunSource InMemory(RunInput run)
    {
        var points = run.Metrics.GroupBy(m => m.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Points, StringComparer.Ordinal);
        return new RunSource(run, [.. run.Metrics.Select(m => m.Key)], (key, _) => ValueTask.FromResult(points[key]));
    }
}
