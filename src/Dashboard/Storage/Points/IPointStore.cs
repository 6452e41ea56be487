using System.Data.Common;
using Dashboard.Core.Records;

namespace Dashboard.Storage.Points;

/// <summary>
/// The hot table, kept behind one small interface so its layout can change without touching callers.
/// Writes join the caller's transaction: points and the file offset commit together.
/// </summary>
public interface IPointStore
{
    Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Adds points of one metric, steps strictly ascending. Stored points from the first new step on
    /// are replaced (dropped first), so appending is also how a resumed run rewrites its tail.
    /// </summary>
    Task AppendAsync(DbTransaction transaction, long metricId, IReadOnlyList<StoredPoint> points, CancellationToken cancellationToken);

    /// <summary>Drops a metric's points from a step on: a run resumed from an earlier checkpoint abandons them.</summary>
    Task DeleteFromAsync(DbTransaction transaction, long metricId, long fromStep, CancellationToken cancellationToken);

    Task<PointAggregate> AggregateAsync(DbTransaction transaction, long metricId, CancellationToken cancellationToken);

    /// <summary>
    /// Points of one metric within the steps, in step order; with maxPoints, reduced exactly as
    /// <see cref="Dashboard.Core.Statistics.Downsampler.Reduce"/> would (first, min, max, last and first NaN per bucket).
    /// </summary>
    Task<IReadOnlyList<StoredPoint>> ReadAsync(long metricId, StepRange steps, int? maxPoints, CancellationToken cancellationToken);

    /// <summary>
    /// Every point of one metric, in step order, into the caller's list (cleared first): a caller that
    /// reads millions of points metric after metric reuses one buffer instead of a new one each time.
    /// </summary>
    Task ReadAllAsync(long metricId, List<StoredPoint> into, CancellationToken cancellationToken);

    /// <summary>
    /// The points of one metric in step order, one stored chunk (at most a thousand or so points) at
    /// a time: memory stays bounded however long the run. A chunk is valid until the next is read.
    /// Every chunk, or from the one that holds <paramref name="fromStep"/> (its earlier points included).
    /// </summary>
    IAsyncEnumerable<StoredPoint[]> ReadChunksAsync(long metricId, long fromStep, CancellationToken cancellationToken);
}
