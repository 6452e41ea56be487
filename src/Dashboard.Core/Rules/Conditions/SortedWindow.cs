namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// The last <c>size</c> values, kept in arrival order (to know which leaves) and sorted (for the median): a value
/// in or out costs a binary search and one shift over the values between the two, so the median is there at every point. A
/// median sorted afresh at each point cost most of the rules' time where a loss sits at zero (the self-training
/// loss before it switches on), which no cheaper test could rule out.
/// </summary>
internal sealed class SortedWindow(int size)
{
    private double[] _arrival = new double[size];
    private double[] _sorted = new double[size];
    private int _next;

    public int Count { get; private set; }

    public double Median => Count % 2 == 1 ? _sorted[Count / 2] : (_sorted[Count / 2 - 1] + _sorted[Count / 2]) / 2;

    public SortedWindow Clone()
    {
        var copy = (SortedWindow)MemberwiseClone();
        copy._arrival = (double[])_arrival.Clone();
        copy._sorted = (double[])_sorted.Clone();
        return copy;
    }

    /// <summary>Adds a finite value, the oldest leaving once the window is full.</summary>
    public void Add(double value)
    {
        var sorted = _sorted;
        int at;
        if (Count < size)
        {
            at = Count++;
            while (at > 0 && sorted[at - 1] > value)
            {
                sorted[at] = sorted[at - 1];
                at--;
            }
        }
        else
        {
            // The leaving value's place is taken by the new one, shifted along to where it sorts: one pass over
            // the values between the two (small, fast loops: Array.Copy's call cost more than the shift).
            at = sorted.AsSpan(0, Count).BinarySearch(_arrival[_next]);
            while (at + 1 < Count && sorted[at + 1] < value)
            {
                sorted[at] = sorted[at + 1];
                at++;
            }
            while (at > 0 && sorted[at - 1] > value)
            {
                sorted[at] = sorted[at - 1];
                at--;
            }
        }
        sorted[at] = value;
        _arrival[_next] = value;
        _next = _next + 1 == size ? 0 : _next + 1;
    }
}
