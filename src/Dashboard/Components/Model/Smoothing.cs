namespace Dashboard.Components.Model;

/// <summary>
/// TensorBoard's smoothing: an exponential moving average, debiased so the curve starts at the first
/// value instead of rising from zero. A gap (a non-finite value drawn as a cross) stays a gap and does not
/// move the average. The state carries on over live points, so a smoothed curve extends as its raw one does.
/// </summary>
public sealed class Smoothing(double weight)
{
    private double last;
    private double debias;

    public List<object?> Next(IEnumerable<object?> values)
    {
        var smoothed = new List<object?>();
        foreach (var value in values)
        {
            if (value is not double y)
            {
                smoothed.Add(null);
                continue;
            }
            last = last * weight + (1 - weight) * y;
            debias = debias * weight + (1 - weight);
            smoothed.Add(last / debias);
        }
        return smoothed;
    }
}
