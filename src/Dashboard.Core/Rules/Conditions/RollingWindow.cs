namespace Dashboard.Core.Rules.Conditions;

/// <summary>The last <c>capacity</c> values in arrival order, plus the same values sorted, for a median in O(capacity).</summary>
internal sealed class RollingWindow(int capacity)
{
    private readonly double[] _ring = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _start;

    public int Count { get; private set; }
    public bool IsFull => Count == capacity;

    /// <summary>The i-th oldest value.</summary>
    public double this[int i] => _ring[(_start + i) % capacity];

    public double Median => Count % 2 == 1 ? _sorted[Count / 2] : (_sorted[Count / 2 - 1] + _sorted[Count / 2]) / 2;

    public void Add(double value)
    {
        if (IsFull)
        {
            var oldest = _ring[_start];
            var at = Array.BinarySearch(_sorted, 0, Count, oldest);
            Array.Copy(_sorted, at + 1, _sorted, at, Count - at - 1);
            _ring[_start] = value;
            _start = (_start + 1) % capacity;
            Count--;
        }
        else
        {
            _ring[(_start + Count) % capacity] = value;
        }
        var insert = Array.BinarySearch(_sorted, 0, Count, value);
        if (insert < 0)
            insert = ~insert;
        Array.Copy(_sorted, insert, _sorted, insert + 1, Count - insert);
        _sorted[insert] = value;
        Count++;
    }

    /// <summary>Mean of the values from the i-th oldest, <paramref name="length"/> of them.</summary>
    public double Mean(int from, int length)
    {
        var sum = 0.0;
        for (var i = from; i < from + length; i++)
            sum += this[i];
        return sum / length;
    }

    public void Clear()
    {
        Count = 0;
        _start = 0;
    }
}
