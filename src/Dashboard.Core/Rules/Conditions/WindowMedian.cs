namespace Dashboard.Core.Rules.Conditions;

/// <summary>Questions about a window's median that need no sorted copy of it.</summary>
internal static class WindowMedian
{
    /// <summary>
    /// Whether the median of <paramref name="values"/> (finite, in any order) is at least <paramref name="threshold"/>, in one
    /// pass: how many values lie below it settles the question, but when exactly half of an even count do, and then the two
    /// middle values are the highest below and the lowest at or above. Sorting a copy at each question cost a tenth of the
    /// rules' time on a run whose count sits at zero often.
    /// </summary>
    public static bool AtLeast(ReadOnlySpan<double> values, double threshold)
    {
        var below = 0;
        double highestBelow = double.NegativeInfinity, lowestAbove = double.PositiveInfinity;
        foreach (var value in values)
        {
            if (value < threshold)
            {
                below++;
                highestBelow = Math.Max(highestBelow, value);
            }
            else
                lowestAbove = Math.Min(lowestAbove, value);
        }
        var half = values.Length / 2;
        if (values.Length % 2 == 1 || below != half)
            return below <= half - (values.Length + 1) % 2;
        // Computed as the median always was, so the answer at the boundary is the same.
        return (highestBelow + lowestAbove) / 2 >= threshold;
    }
}
