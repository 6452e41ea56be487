namespace Dashboard.Core.Rules.Conditions;

/// <summary>The median of a window's values, sorted in a scratch array so the window keeps its order.</summary>
internal static class WindowMedian
{
    public static double Of(double[] values, double[] scratch, int count)
    {
        Array.Copy(values, scratch, count);
        Array.Sort(scratch, 0, count);
        return count % 2 == 1 ? scratch[count / 2] : (scratch[count / 2 - 1] + scratch[count / 2]) / 2;
    }
}
