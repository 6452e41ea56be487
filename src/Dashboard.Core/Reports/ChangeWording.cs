namespace Dashboard.Core.Reports;

/// <summary>
/// States a change from a first to a last value without the hand reports' mistakes: a percentage
/// only when both values have the same sign and the start is not (near) zero; otherwise the
/// absolute change and why no percentage is given.
/// </summary>
public static class ChangeWording
{
    /// <summary>A start this much smaller than the end (in magnitude) is "near zero": a percentage of it says nothing.</summary>
    private const double NearZeroRatio = 1e-3;

    public static Change Describe(double initial, double final, string direction)
    {
        if (!double.IsFinite(initial) || !double.IsFinite(final))
            return new Change(null, null, $"from {ReportNumber.Format(initial)} to {ReportNumber.Format(final)}: no change can be computed from a non-finite value");

        var absolute = final - initial;
        if (absolute == 0)
            return new Change(0, 0, $"unchanged at {ReportNumber.Format(final)}");

        var verb = absolute < 0 ? "fell" : "rose";
        var by = $"{verb} by {ReportNumber.Format(Math.Abs(absolute))}, from {ReportNumber.Format(initial)} to {ReportNumber.Format(final)}";
        var judgement = Judgement(absolute, direction);
        if (initial == 0)
            return new Change(absolute, null, $"{by}{judgement}; no percentage from a start at zero");
        if (Math.Sign(initial) != Math.Sign(final) && final != 0)
            return new Change(absolute, null,
                $"{by}{judgement}; it went from {SignWord(initial)} to {SignWord(final)}, so a percentage would mislead");
        if (Math.Abs(initial) < NearZeroRatio * Math.Max(Math.Abs(initial), Math.Abs(final)))
            return new Change(absolute, null, $"{by}{judgement}; no percentage from a start this close to zero");

        var percent = 100 * absolute / Math.Abs(initial);
        return new Change(absolute, percent, $"{by} ({(percent > 0 ? "+" : "")}{ReportNumber.Percent(percent)}){judgement}");
    }

    private static string Judgement(double absolute, string direction) => direction switch
    {
        MetricKinds.LowerIsBetter => absolute < 0 ? " (lower is better: an improvement)" : " (lower is better: worse)",
        MetricKinds.HigherIsBetter => absolute > 0 ? " (higher is better: an improvement)" : " (higher is better: worse)",
        _ => "",
    };

    private static string SignWord(double value) => value > 0 ? "positive" : value < 0 ? "negative" : "zero";
}
