namespace Dashboard.Core.Reports;

/// <summary>
/// Values of the headline metrics every 10% of training (of the total steps when known), or every
/// 10,000 steps when that gives more points for a short resumed stretch of a long run.
/// </summary>
public static class Milestones
{
    /// <summary>The milestone steps within the headline metrics' span of steps.</summary>
    public static IReadOnlyList<(long Step, string Label)> Steps(IReadOnlyList<MetricDigest> headline, long? totalSteps)
    {
        if (headline.Count == 0)
            return [];
        var first = headline.Min(m => m.First.Step);
        var last = headline.Max(m => m.Last.Step);
        var total = totalSteps is > 0 ? totalSteps.Value : last;
        if (total <= 0)
            return [];

        var steps = Enumerable.Range(1, 10).Select(k => (Step: (long)Math.Round(k * total / 10.0), Label: $"{k * 10}%")).ToList();
        if (steps.Count(s => s.Step >= first && s.Step <= last) < 5 && last - first >= 20_000)
            steps = [.. Enumerable.Range(1, (int)(last / 10_000)).Select(k => (Step: k * 10_000L, Label: $"step {k * 10_000L}"))];
        return [.. steps.Where(s => s.Step >= first && s.Step <= last)];
    }

    /// <summary>Each headline metric's value logged at or last before each step, in the headline's order.</summary>
    public static IReadOnlyList<Milestone> At(IReadOnlyList<(long Step, string Label)> steps, IReadOnlyList<MetricLook> headline) =>
        [.. steps.Select(s => new Milestone(s.Step, s.Label, [.. headline
            .Where(m => m.AtOrBefore.ContainsKey(s.Step))
            .Select(m => new MilestoneValue(m.Key, m.AtOrBefore[s.Step].Step, m.AtOrBefore[s.Step].Value))]))];
}
