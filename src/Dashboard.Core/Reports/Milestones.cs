namespace Dashboard.Core.Reports;

/// <summary>
/// Values of the headline metrics every 10% of training (of the total steps when known), or every
/// 10,000 steps when that gives more points for a short resumed stretch of a long run.
/// </summary>
public static class Milestones
{
    public static IReadOnlyList<Milestone> At(IReadOnlyList<MetricInput> headline, long? totalSteps)
    {
        var withPoints = headline.Where(m => m.Points.Count > 0).ToList();
        if (withPoints.Count == 0)
            return [];
        var first = withPoints.Min(m => m.Points[0].Step);
        var last = withPoints.Max(m => m.Points[^1].Step);
        var total = totalSteps is > 0 ? totalSteps.Value : last;
        if (total <= 0)
            return [];

        var steps = Enumerable.Range(1, 10).Select(k => (Step: (long)Math.Round(k * total / 10.0), Label: $"{k * 10}%")).ToList();
        if (steps.Count(s => s.Step >= first && s.Step <= last) < 5 && last - first >= 20_000)
            steps = [.. Enumerable.Range(1, (int)(last / 10_000)).Select(k => (Step: k * 10_000L, Label: $"step {k * 10_000L}"))];

        var milestones = new List<Milestone>();
        foreach (var (step, label) in steps.Where(s => s.Step >= first && s.Step <= last))
        {
            var values = new List<MilestoneValue>();
            foreach (var metric in withPoints)
                if (MetricStatistics.AtOrBefore(metric.Points, step) is { } p)
                    values.Add(new MilestoneValue(metric.Key, p.Step, p.Value));
            milestones.Add(new Milestone(step, label, values));
        }
        return milestones;
    }
}
