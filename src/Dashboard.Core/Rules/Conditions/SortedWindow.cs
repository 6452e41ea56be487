namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// The last <c>size</c> values, kept in arrival order (to know which leaves) and sorted (for the median): a value
/// in or out costs two binary searches and a shift of a few doubles, so the median is there at every point. A
/// median sorted afresh at each point cost most of the rules' time where a loss sits at zero (the self-training
/// loss before it switches on), which no cheaper test could rule out.
/// </summary>
internal sealed class SortedWindow(int size)
{
    private readonly double[] _arrival = new double[size];
    private readonly double[] _sorted = new double[size];
    private int _next;

    public int Count { get; private set; }

    public double Median => Count % 2 == 1 ? _sorted[Count / 2] : (_sorted[Count / 2 - 1] + _sorted[Count / 2]) / 2;

    /// <summary>Adds a finite value, the oldest leaving once the window is full.</summary>
    public void Add(double value)
    {
        if (Count == size)
        {
            var leaving = Array.BinarySearch(_sorted, 0, Count, _arrival[_next]);
            Array.Copy(_sorted, leaving + 1, _sorted, leaving, Count - leaving - 1);
            Count--;
        }
        var at = Array.BinarySearch(_sorted, 0, Count, value);
        if (at < 0)
            at = ~at;
        Array.Copy(_sorted, at, _sorted, at + 1, Count - at);
        _sorted[at] = value;
        Count++;
        _arrival[_next] = value;
        _next = _next + 1 == size ? 0 : _next + 1;
    }
}
