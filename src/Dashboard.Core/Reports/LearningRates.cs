using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>A learning rate's start, extremes and end, and what a reader would misread in it.</summary>
public static class LearningRates
{
    /// <summary>Null when the metric has no finite value.</summary>
    public static LearningRateSchedule? Schedule(string key, IReadOnlyList<StoredPoint> points, IReadOnlyList<ConfigEntry> config)
    {
        StoredPoint? first = null, min = null, max = null, last = null, firstZero = null;
        foreach (var p in points)
        {
            if (!double.IsFinite(p.Value))
                continue;
            first ??= p;
            // The first of equal extremes, as the earliest step that reached the value.
            if (min is null || p.Value < min.Value.Value) min = p;
            if (max is null || p.Value > max.Value.Value) max = p;
            if (firstZero is null && p.Value == 0) firstZero = p;
            last = p;
        }
        if (first is not { } start || last is not { } end)
            return null;

        string? note = null;
        if (max!.Value.Value == 0)
            note = "logged as 0 at every step, so the log's printed precision hides the learning rate" +
                (ConfigEntries.LearningRate(config) is { } lr ? $"; the configuration sets {lr.Key} = {ReportNumber.Format(lr.Value)}" : "");
        else if (end.Value == 0 && start.Value > 0)
            note = $"decays from {ReportNumber.Format(start.Value)} to 0, first 0 at step {firstZero!.Value.Step}";
        return new LearningRateSchedule(key, Point(start), Point(min!.Value), Point(max.Value), Point(end), note);
    }

    private static ReportPoint Point(StoredPoint p) => new(p.Step, p.Value);
}
