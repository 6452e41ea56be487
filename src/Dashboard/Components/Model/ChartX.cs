using System.Globalization;
using Dashboard.Core.Records;

namespace Dashboard.Components.Model;

/// <summary>
/// Where a line's points go on a chart's x axis, and back: the store reads by step, so a zoom on a time
/// axis becomes the steps of the points drawn in it (found in the points the chart holds, one point wider on
/// each side, as those are buckets of the steps between them). Relative time counts from the run's start.
/// </summary>
public sealed record ChartX(ChartAxis Axis, long OriginMs)
{
    public const double MsPerHour = 3_600_000;
    // How Plotly reads and writes dates; the chart shows UTC.
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss.fff";

    public static ChartX Steps { get; } = new(ChartAxis.Step, 0);

    public object Of(StoredPoint point) => Axis switch
    {
        ChartAxis.Step => point.Step,
        _ => OfTime(point.UnixMs),
    };

    private object OfTime(double unixMs) => Axis == ChartAxis.Wall
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs).UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture)
        : (unixMs - OriginMs) / MsPerHour;

    /// <summary>
    /// Where a step goes, for what is drawn at a step (an alert, a band's edge): its time found between the
    /// points held. Off their ends, a band's edge sits at the nearest one (<paramref name="clamp"/>) and
    /// anything else is not drawn.
    /// </summary>
    public object? OfStep(long step, IReadOnlyList<StoredPoint> held, bool clamp)
    {
        if (Axis == ChartAxis.Step)
            return step;
        if (held.Count == 0)
            return null;
        if (step < held[0].Step)
            return clamp ? OfTime(held[0].UnixMs) : null;
        if (step > held[^1].Step)
            return clamp ? OfTime(held[^1].UnixMs) : null;
        var i = Lower(held, step);
        if (held[i].Step == step)
            return OfTime(held[i].UnixMs);
        var (a, b) = (held[i - 1], held[i]);
        return OfTime(a.UnixMs + (double)(b.UnixMs - a.UnixMs) * (step - a.Step) / (b.Step - a.Step));
    }

    /// <summary>The steps to read for the x axis' ends; <paramref name="held"/> are the points drawn, in step order.</summary>
    public StepRange StepsOf(XRange range, IReadOnlyList<StoredPoint> held)
    {
        if (range.IsAll)
            return StepRange.All;
        if (Axis == ChartAxis.Step)
            // Steps are whole: the view takes every step that is drawn, even in part.
            return new StepRange(Step(Math.Floor(range.From)), Step(Math.Ceiling(range.To)));
        var (fromMs, toMs) = Axis == ChartAxis.Wall
            ? (range.From, range.To)
            : (OriginMs + range.From * MsPerHour, OriginMs + range.To * MsPerHour);
        var first = held.Count;
        var last = -1;
        for (var i = 0; i < held.Count; i++)
        {
            if (held[i].UnixMs >= fromMs && first == held.Count)
                first = i;
            if (held[i].UnixMs <= toMs)
                last = i;
        }
        // Past the held points' ends the steps are not known: read on to the run's end (or from its start).
        var from = first == held.Count ? (held.Count == 0 ? long.MinValue : held[^1].Step) : first == 0 ? long.MinValue : held[first - 1].Step;
        var to = last < 0 ? (held.Count == 0 ? long.MaxValue : held[0].Step) : last == held.Count - 1 ? long.MaxValue : held[last + 1].Step;
        return new StepRange(Math.Min(from, to), Math.Max(from, to));
    }

    private static int Lower(IReadOnlyList<StoredPoint> held, long step)
    {
        var (low, high) = (0, held.Count - 1);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (held[middle].Step < step)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    private static long Step(double value) => value switch
    {
        <= long.MinValue => long.MinValue,
        >= long.MaxValue => long.MaxValue,
        _ => (long)value,
    };
}
