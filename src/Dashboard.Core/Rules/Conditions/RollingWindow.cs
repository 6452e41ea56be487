namespace Dashboard.Core.Rules.Conditions;

/// <summary>The last <c>capacity</c> values in arrival order.</summary>
internal sealed class RollingWindow(int capacity)
{
    private double[] _ring = new double[capacity];
    private int _start;

    public int Count { get; private set; }
    public bool IsFull => Count == capacity;

    /// <summary>The i-th oldest value.</summary>
    public double this[int i] => _ring[(_start + i) % capacity];

    public void Add(double value)
    {
        if (IsFull)
        {
            _ring[_start] = value;
            _start = (_start + 1) % capacity;
            return;
        }
        _ring[(_start + Count) % capacity] = value;
        Count++;
    }

    public RollingWindow Clone()
    {
        var copy = (RollingWindow)MemberwiseClone();
        copy._ring = (double[])_ring.Clone();
        return copy;
    }

    /// <summary>Mean of the values from the i-th oldest, <paramref name="length"/> of them.</summary>
    public double Mean(int from, int length)
    {
        var sum = 0.0;
        for (var i = from; i < from + length; i++)
            sum += this[i];
        return sum / length;
    }
}
