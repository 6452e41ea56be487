using System.Numerics;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// The last <c>size</c> values, kept in arrival order (to know which leaves) and sorted (for the median), so the median
/// is there at every point. Each point costs the same whatever the values do, with no branch on them: where the new and
/// the leaving value sort is how many values lie below each, counted a vector at a time; then every place of the sorted
/// values is chosen from its own, its left or its right neighbour, or the new value, a vector at a time, into a second
/// array. A binary search and shifting loops (before) mispredicted a branch at nearly every point of a healthy, noisy
/// loss (44 ns a point against 17): the spike rule that keeps this window cost more than the other rules together.
/// </summary>
internal sealed class SortedWindow
{
    private static readonly int Width = Vector<double>.Count;
    private static readonly Vector<long> Lanes = LaneNumbers();

    private readonly int _size;
    // The sorted values from index 1, rounded up to whole vectors; index 0 holds -∞ and every place after the values +∞
    // (a vector's worth more at the end), so neighbours can be loaded at both ends and the places not filled count nowhere.
    private readonly int _places;
    private double[] _sorted;
    private double[] _spare;
    private double[] _arrival;
    private int _next;

    public SortedWindow(int size)
    {
        _size = size;
        _places = (size + Width - 1) / Width * Width;
        _sorted = Empty(_places);
        _spare = Empty(_places);
        _arrival = new double[size];
    }

    public int Count { get; private set; }

    public double Median => Count % 2 == 1 ? _sorted[1 + Count / 2] : (_sorted[Count / 2] + _sorted[1 + Count / 2]) / 2;

    public SortedWindow Clone()
    {
        var copy = (SortedWindow)MemberwiseClone();
        copy._sorted = (double[])_sorted.Clone();
        copy._spare = Empty(_places);
        copy._arrival = (double[])_arrival.Clone();
        return copy;
    }

    /// <summary>Adds a finite value, the oldest leaving once the window is full.</summary>
    public void Add(double value)
    {
        var sorted = _sorted;
        var full = Count == _size;
        var fresh = new Vector<double>(value);
        var old = new Vector<double>(full ? _arrival[_next] : 0);
        Vector<long> belowFresh = Vector<long>.Zero, belowOld = Vector<long>.Zero;
        for (var i = 1; i <= _places; i += Width)
        {
            var values = new Vector<double>(sorted, i);
            // A lane that compares true is all ones: -1.
            belowFresh -= Vector.LessThan(values, fresh);
            belowOld -= Vector.LessThan(values, old);
        }
        // The leaving value's place (a value equal to it lies there), or the first empty one; then the new value's once
        // the leaving one is out.
        var leaving = full ? Vector.Sum(belowOld) : Count;
        var at = Vector.Sum(belowFresh);
        if (at > leaving)
            at--;
        var leavingAt = new Vector<long>(leaving);
        var freshAt = new Vector<long>(at);
        var into = _spare;
        for (var i = 0; i < _places; i += Width)
        {
            var place = Lanes + new Vector<long>(i);
            var left = new Vector<double>(sorted, i);
            var own = new Vector<double>(sorted, i + 1);
            var right = new Vector<double>(sorted, i + 2);
            // Below the new value's place the values after the leaving one move down; above it, those up to it move up.
            var below = Vector.ConditionalSelect(Vector.LessThan(place, leavingAt), own, right);
            var above = Vector.ConditionalSelect(Vector.LessThanOrEqual(place, leavingAt), left, own);
            var chosen = Vector.ConditionalSelect(Vector.LessThan(place, freshAt), below, above);
            Vector.ConditionalSelect(Vector.Equals(place, freshAt), fresh, chosen).CopyTo(into, i + 1);
        }
        (_sorted, _spare) = (into, sorted);
        if (!full)
            Count++;
        _arrival[_next] = value;
        _next = _next + 1 == _size ? 0 : _next + 1;
    }

    private static double[] Empty(int places)
    {
        var values = new double[1 + places + Width];
        Array.Fill(values, double.PositiveInfinity);
        values[0] = double.NegativeInfinity;
        return values;
    }

    private static Vector<long> LaneNumbers()
    {
        Span<long> lanes = stackalloc long[Vector<long>.Count];
        for (var i = 0; i < lanes.Length; i++)
            lanes[i] = i;
        return new Vector<long>(lanes);
    }
}
