using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>
/// Finds metrics that hold one exact value for a stretch at the start of training and then change:
/// a loss that is exactly 0 until the discriminator switches on at step 50,001, a weight fixed at
/// 5000 until it becomes adaptive. Such steps split training into phases.
/// </summary>
public static class RegimeSwitches
{
    /// <summary>A hold must cover at least this many points, and 2% of the metric's points, to count.</summary>
    private const int MinHeldPoints = 3;

    public static RegimeSwitch? Find(string key, IReadOnlyList<StoredPoint> points)
    {
        if (points.Count < MinHeldPoints + 1 || !double.IsFinite(points[0].Value))
            return null;
        var held = points[0].Value;
        var count = 1;
        while (count < points.Count && points[count].Value.Equals(held))
            count++;
        if (count == points.Count || count < Math.Max(MinHeldPoints, points.Count / 50))
            return null;

        var before = points[count - 1].Step;
        var after = points[count];
        var text = held == 0
            ? $"{key} is exactly 0 through step {ReportNumber.Step(before)} and non-zero from step {ReportNumber.Step(after.Step)} ({ReportNumber.Format(after.Value)}): it switches on there"
            : $"{key} holds exactly {ReportNumber.Format(held)} through step {ReportNumber.Step(before)} and changes at step {ReportNumber.Step(after.Step)} (to {ReportNumber.Format(after.Value)})";
        return new RegimeSwitch(key, held, before, after.Step, after.Value, text);
    }

    /// <summary>
    /// Phases between the switch steps (switches closer than 1% of the span are one boundary), with
    /// the change of each headline metric within each phase.
    /// </summary>
    public static IReadOnlyList<Phase> Phases(IReadOnlyList<RegimeSwitch> switches, IReadOnlyList<MetricInput> headline, long firstStep, long lastStep)
    {
        if (switches.Count == 0 || lastStep <= firstStep)
            return [];
        var minGap = Math.Max(1, (lastStep - firstStep) / 100);
        var boundaries = new List<(long Step, List<string> Keys)>();
        foreach (var s in switches.OrderBy(s => s.ChangedAtStep))
        {
            if (s.ChangedAtStep <= firstStep || s.ChangedAtStep > lastStep)
                continue;
            if (boundaries.Count > 0 && s.ChangedAtStep - boundaries[^1].Step < minGap)
                boundaries[^1].Keys.Add(s.Key);
            else
                boundaries.Add((s.ChangedAtStep, [s.Key]));
        }
        if (boundaries.Count == 0)
            return [];

        var phases = new List<Phase>();
        var from = firstStep;
        for (var i = 0; i <= boundaries.Count; i++)
        {
            var to = i < boundaries.Count ? boundaries[i].Step - 1 : lastStep;
            var label = i == 0
                ? $"before {string.Join(", ", boundaries[0].Keys)} changes"
                : $"after {string.Join(", ", boundaries[i - 1].Keys)} changes";
            phases.Add(new Phase(from, to, label, Changes(headline, from, to)));
            if (i < boundaries.Count)
                from = boundaries[i].Step;
        }
        return phases;
    }

    private static IReadOnlyList<PhaseChange> Changes(IReadOnlyList<MetricInput> headline, long from, long to)
    {
        var changes = new List<PhaseChange>();
        foreach (var metric in headline)
        {
            StoredPoint? first = null, last = null;
            foreach (var p in metric.Points)
            {
                if (p.Step < from || p.Step > to)
                    continue;
                first ??= p;
                last = p;
            }
            if (first is not { } a || last is not { } b)
                continue;
            var start = new ReportPoint(a.Step, a.Value);
            var end = new ReportPoint(b.Step, b.Value);
            changes.Add(new PhaseChange(metric.Key, start, end, ChangeWording.Describe(start.Value, end.Value, MetricKinds.Direction(metric.Key))));
        }
        return changes;
    }
}
