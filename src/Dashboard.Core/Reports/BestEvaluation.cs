using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>The best evaluation result of a run and the checkpoint that holds it.</summary>
public static class BestEvaluation
{
    /// <summary>
    /// The evaluation series to judge by: validation before eval before test, quality metrics
    /// (IoU, accuracy, AP, F1, …) before losses, whole-set figures (mIoU) before per-class ones (IoU_road); best is the maximum or the minimum accordingly.
    /// </summary>
    public static BestResult? Find(IReadOnlyList<MetricDigest> metrics)
    {
        var candidate = metrics
            .Where(m => MetricKinds.EvaluationRank(m.Key) is not null && MetricKinds.Direction(m.Key) != MetricKinds.Unknown && m.HasFinite)
            .OrderBy(m => MetricKinds.EvaluationRank(m.Key))
            .ThenBy(m => MetricKinds.Direction(m.Key) == MetricKinds.HigherIsBetter ? 0 : 1)
            .ThenBy(m => MetricKinds.IsSummary(m.Key) ? 0 : 1)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        if (candidate is null)
            return null;

        var direction = MetricKinds.Direction(candidate.Key);
        // The statistics keep the earliest of equal extremes: the checkpoint that first reached the value wins a tie.
        var best = direction == MetricKinds.HigherIsBetter ? candidate.Statistics.Max! : candidate.Statistics.Min!;
        return new BestResult(candidate.Key, direction, best, new ReportPoint(candidate.Last.Step, candidate.Last.Value), candidate.Count);
    }

    /// <summary>
    /// The trainer's own best_model file when it saved one; else the checkpoint saved at the best
    /// evaluation's step, or the nearest one; else the last checkpoint.
    /// </summary>
    public static CheckpointChoice? Checkpoint(IReadOnlyList<RunEvent> events, BestResult? best)
    {
        var saved = events.Where(e => e.Kind == RunEventKind.CheckpointSaved).ToList();
        if (saved.Count == 0)
            return null;
        var bestModel = saved.LastOrDefault(e => e.Message.Contains("best_model", StringComparison.OrdinalIgnoreCase));
        if (bestModel is not null)
            return new CheckpointChoice(Name(bestModel), bestModel.Step, "the trainer saved it as its best model" +
                (best is null ? "" : $"; the best {best.Key} in the log is {ReportNumber.Format(best.Best.Value)} at step {best.Best.Step}"));

        var withStep = saved.Where(e => e.Step is not null).ToList();
        if (best is not null && withStep.Count > 0)
        {
            var nearest = withStep.OrderBy(e => Math.Abs(e.Step!.Value - best.Best.Step)).ThenByDescending(e => e.Step).First();
            return nearest.Step == best.Best.Step
                ? new CheckpointChoice(Name(nearest), nearest.Step, $"saved at the step of the best {best.Key} ({ReportNumber.Format(best.Best.Value)} at step {best.Best.Step})")
                : new CheckpointChoice(Name(nearest), nearest.Step,
                    $"the checkpoint nearest to the best {best.Key} ({ReportNumber.Format(best.Best.Value)} at step {best.Best.Step}); none was saved at exactly that step");
        }
        var latest = saved.OrderBy(e => e.Step ?? long.MinValue).ThenBy(e => e.UnixMs).Last();
        return new CheckpointChoice(Name(latest), latest.Step, "the last checkpoint saved; no evaluation metric was logged to choose by");
    }

    private static string Name(RunEvent saved)
    {
        var text = saved.Message;
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? text[(colon + 2)..] : text;
    }
}
