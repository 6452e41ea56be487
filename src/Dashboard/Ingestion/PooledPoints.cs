using System.Buffers;
using System.Collections;
using Dashboard.Core.Records;

namespace Dashboard.Ingestion;

/// <summary>
/// A batch's points in an array rented from the shared pool, handed back once the writer is done with the
/// batch (<see cref="Return"/>). A tailer's batch of a large read is tens of thousands of points: copied into a
/// fresh list each time, it was large-object garbage that made the collector run its background passes all
/// through a cold import.
/// </summary>
public sealed class PooledPoints : IReadOnlyList<MetricPoint>
{
    private MetricPoint[]? _array;

    private PooledPoints(MetricPoint[] array, int count) => (_array, Count) = (array, count);

    public static IReadOnlyList<MetricPoint> CopyOf(List<MetricPoint> points)
    {
        if (points.Count == 0)
            return [];
        var array = ArrayPool<MetricPoint>.Shared.Rent(points.Count);
        points.CopyTo(array);
        return new PooledPoints(array, points.Count);
    }

    /// <summary>The array goes back to the pool if <paramref name="points"/> came from it; nothing may read them afterwards.</summary>
    public static void Return(IReadOnlyList<MetricPoint> points)
    {
        if (points is not PooledPoints { _array: { } array } pooled)
            return;
        pooled._array = null;
        // Cleared so that the pool holds no metric names alive.
        Array.Clear(array, 0, pooled.Count);
        ArrayPool<MetricPoint>.Shared.Return(array);
    }

    public int Count { get; }

    public ReadOnlySpan<MetricPoint> AsSpan() => Items.AsSpan(0, Count);

    public MetricPoint this[int index] =>
        (uint)index < (uint)Count ? Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<MetricPoint> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return Items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private MetricPoint[] Items => _array ?? throw new ObjectDisposedException(nameof(PooledPoints), "The batch's points went back to the pool.");
}
