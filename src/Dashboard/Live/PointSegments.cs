using System.Collections;
using Dashboard.Core.Records;

namespace Dashboard.Live;

/// <summary>
/// A metric's points from the commits a coalesced message gathers, sent as one array without being copied
/// into one list: a busy run's commits hold tens of thousands of points each, and the copies were large-object
/// garbage that cost the collector more than the sends. The commits' lists are never changed after publishing.
/// </summary>
public sealed class PointSegments : IEnumerable<StoredPoint>
{
    private readonly List<List<StoredPoint>> _segments = [];

    public void Add(List<StoredPoint> segment) => _segments.Add(segment);

    public IEnumerator<StoredPoint> GetEnumerator()
    {
        foreach (var segment in _segments)
            foreach (var point in segment)
                yield return point;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
