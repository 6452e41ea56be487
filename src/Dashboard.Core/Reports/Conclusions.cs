using Dashboard.Core.Records;
using Dashboard.Core.Rules;

namespace Dashboard.Core.Reports;

/// <summary>
/// Conclusions and recommendations, each one following from an alert that fired or from a figure
/// of the report. Nothing is said that the numbers do not show.
/// </summary>
public static class Conclusions
{
    /// <summary>Over the last tenth of the steps, a move under this share of the metric's range is "levelled off".</summary>
    private const double FlatShare = 0.01;
    /// <summary>A fall over this share of the range in the last tenth means the metric was still improving.</summary>
    private const double StillMovingShare = 0.05;

    public static IReadOnlyList<Finding> ForRun(DescribedRun run)
    {
        var report = run.Report;
        var findings = new List<Finding>();
        Status(report.Run, findings);
        if (report.Throughput is null && ThroughputMeter.Primary(run.Metrics) is { Count: >= 2 } primary && !primary.TimesAdvance)
            findings.Add(new Finding(Finding.Observation, "info",
                "No throughput or wall time is given: the log has no timestamps and was read in one go, so its points' times say when it was read, not when it was written."));
        foreach (var alert in report.Alerts.OrderBy(a => a.FirstStep ?? long.MaxValue))
            findings.Add(new Finding(Finding.Alert, Severity(alert.Severity),
                $"{alert.Message} ({alert.Metric}{StepRange(alert.FirstStep, alert.LastStep)}; rule {alert.RuleId}{(alert.ResolvedAt is null ? ", still active at the end" : ", resolved")})"));
        // Information (a band of the guide's timeline) describes; only warning signs call for action.
        foreach (var group in report.Alerts.Where(a => a.Severity > AlertSeverity.Info && !string.IsNullOrWhiteSpace(a.Advice)).GroupBy(a => a.Advice, StringComparer.Ordinal))
            findings.Add(new Finding(Finding.Recommendation, Severity(group.Max(a => a.Severity)), group.Key));

        foreach (var metric in report.Metrics.Where(m => m.NonFinite > 0))
        {
            findings.Add(new Finding(Finding.Observation, "critical",
                $"{metric.Key} has {metric.NonFinite} non-finite value(s) (NaN or ±Infinity), the first at step {metric.FirstNonFiniteStep}."));
            findings.Add(new Finding(Finding.Recommendation, "critical",
                $"Training diverged at step {metric.FirstNonFiniteStep}: resume from a checkpoint before that step with a lower learning rate or gradient clipping."));
        }

        foreach (var metric in report.Metrics.Where(m => m.Family == MetricKinds.Losses && m.Direction == MetricKinds.LowerIsBetter && m.NonFinite == 0 && m.Final.Value > m.Initial.Value))
            findings.Add(new Finding(Finding.Observation, "warning", $"{metric.Key} ended higher than it started: it {metric.Change.Text}."));

        if (run.Tail is { } tail)
            findings.Add(tail);
        foreach (var s in report.Switches)
            findings.Add(new Finding(Finding.Observation, "info", s.Text + "."));
        foreach (var lr in report.LearningRates.Where(l => l.Note is not null))
            findings.Add(new Finding(Finding.Observation, "info", $"{lr.Key}: {lr.Note}."));

        if (report.BestEvaluation is { } best)
            Best(best, report, run.Gap, findings);
        return findings;
    }

    public static IReadOnlyList<Finding> ForComparison(IReadOnlyList<RunReport> runs, ComparisonReport comparison)
    {
        var findings = new List<Finding>();
        var names = string.Join(" and ", runs.Select(r => r.Run.Name));
        var differences = comparison.ConfigDifferences;
        if (differences.Count == 0)
            findings.Add(new Finding(Finding.Observation, "info", $"{names} logged the same configuration."));
        else if (differences.Count == 1)
            findings.Add(new Finding(Finding.Observation, "info", $"The runs differ only in {differences[0].Key} ({string.Join(" vs ", differences[0].Values.Select(v => v ?? "unset"))})."));
        else
            findings.Add(new Finding(Finding.Observation, "warning",
                $"The runs differ in {differences.Count} settings ({string.Join(", ", differences.Take(6).Select(d => d.Key))}{(differences.Count > 6 ? ", …" : "")}): a difference in their results cannot be put down to any one of them."));

        var lastSteps = runs.Select(r => r.Metrics.Count == 0 ? (long?)null : r.Metrics.Max(m => m.Final.Step)).ToList();
        if (lastSteps.All(s => s is not null) && lastSteps.Distinct().Count() > 1)
            findings.Add(new Finding(Finding.Observation, "warning",
                $"The runs stopped at different steps ({string.Join(" vs ", lastSteps)}): their final values are not at equal training length; compare the curves at the same step."));

        foreach (var metric in comparison.Metrics.Where(m => m.Direction != MetricKinds.Unknown
            && (MetricKinds.Family(m.Key) == MetricKinds.Losses || MetricKinds.EvaluationRank(m.Key) is not null)
            && m.Values.All(v => v is not null && double.IsFinite(v.Final.Value))))
        {
            var finals = metric.Values.Select((v, i) => (Run: runs[i].Run.Name, v!.Final)).ToList();
            var winner = metric.Direction == MetricKinds.LowerIsBetter ? finals.MinBy(f => f.Final.Value) : finals.MaxBy(f => f.Final.Value);
            findings.Add(new Finding(Finding.Observation, "info",
                $"Final {metric.Key}: {string.Join(", ", finals.Select(f => $"{f.Run} {ReportNumber.Format(f.Final.Value)} (step {f.Final.Step})"))}; {(metric.Direction == MetricKinds.LowerIsBetter ? "lowest" : "highest")}: {winner.Run}."));
        }
        return findings;
    }

    private static void Status(RunFacts run, List<Finding> findings)
    {
        if (run.Status == "crashed")
            findings.Add(new Finding(Finding.Observation, "critical", $"The run crashed at step {run.Step?.ToString() ?? "?"}{(run.TotalSteps is { } t ? $" of {t}" : "")}."));
        else if (run.Step is { } step && run.TotalSteps is { } total && step < total)
            findings.Add(new Finding(Finding.Observation, run.Status == "finished" ? "warning" : "info",
                $"The run is {run.Status} at step {step} of {total} ({ReportNumber.Percent(100.0 * step / total)})."));
    }

    /// <summary>How the headline loss moved over the last tenth of its steps (means of the window's first and last fifths).</summary>
    /// <remarks>In passes over the points, not over a copy of the finite ones: the headline loss is often the longest series.</remarks>
    public static Finding? Tail(MetricInput loss)
    {
        var finite = 0;
        long first = 0, last = 0;
        double min = 0, max = 0;
        foreach (var p in loss.Points.Where(p => double.IsFinite(p.Value)))
        {
            if (finite == 0)
                first = p.Step;
            if (finite == 0 || p.Value < min) min = p.Value;
            if (finite == 0 || p.Value > max) max = p.Value;
            last = p.Step;
            finite++;
        }
        if (finite < 20)
            return null;
        var threshold = last - (last - first) / 10;
        var window = loss.Points.Where(p => double.IsFinite(p.Value) && p.Step >= threshold);
        var count = window.Count();
        if (count < 10)
            return null;
        var fifth = count / 5;
        // Summed in step order from the first value, as Enumerable.Average does: the same rounding (and sign of zero) as before.
        double startSum = 0, endSum = 0;
        long from = 0;
        var index = 0;
        foreach (var p in window)
        {
            if (index == 0) from = p.Step;
            if (index < fifth) startSum = index == 0 ? p.Value : startSum + p.Value;
            if (index >= count - fifth) endSum = index == count - fifth ? p.Value : endSum + p.Value;
            index++;
        }
        var start = startSum / fifth;
        var end = endSum / fifth;
        var range = max - min;
        if (range <= 0)
            return null;
        var move = end - start;
        if (Math.Abs(move) < FlatShare * range)
            return new Finding(Finding.Observation, "info",
                $"{loss.Key} levelled off: over steps {from}–{last} its mean moved by {ReportNumber.Format(move)}, under 1% of its range ({ReportNumber.Format(range)}).");
        if (move < -StillMovingShare * range)
            return new Finding(Finding.Recommendation, "info",
                $"{loss.Key} was still falling over steps {from}–{last} (its mean moved by {ReportNumber.Format(move)}, {ReportNumber.Percent(100 * -move / range)} of its range): more steps may lower it further.");
        if (move > StillMovingShare * range)
            return new Finding(Finding.Observation, "warning",
                $"{loss.Key} was rising over steps {from}–{last} (its mean moved by +{ReportNumber.Format(move)}, {ReportNumber.Percent(100 * move / range)} of its range).");
        return null;
    }

    private static void Best(BestResult best, RunReport report, TrainGap? gap, List<Finding> findings)
    {
        findings.Add(new Finding(Finding.Observation, "info",
            $"Best {best.Key}: {ReportNumber.Format(best.Best.Value)} at step {best.Best.Step} ({best.Evaluations} evaluations); the last was {ReportNumber.Format(best.Final.Value)} at step {best.Final.Step}."));
        if (best.Best.Step != best.Final.Step && best.Best.Value != best.Final.Value)
            findings.Add(new Finding(Finding.Recommendation, "info",
                $"{best.Key} peaked before the end: keep the checkpoint from step {best.Best.Step}{(report.Checkpoint is { } c ? $" ({c.Name})" : "")}, not the last one."));
        else if (report.Checkpoint is { } checkpoint)
            findings.Add(new Finding(Finding.Recommendation, "info", $"Keep {checkpoint.Name}: {checkpoint.Reason}."));

        if (gap is null)
            return;
        var widened = best.Direction == MetricKinds.HigherIsBetter ? gap.Last > gap.First : gap.Last < gap.First;
        findings.Add(new Finding(Finding.Observation, widened ? "warning" : "info",
            $"{gap.TrainKey} − {best.Key} was {ReportNumber.Format(gap.First)} at the first evaluation (step {gap.FirstStep}) and {ReportNumber.Format(gap.Last)} at the last (step {gap.LastStep}): the gap {(widened ? "widened" : "did not widen")}."));
    }

    /// <summary>The training series of the best evaluation's quantity ("train/mIoU" beside "val/mIoU"), the first in the run's order.</summary>
    public static MetricDigest? TrainTwin(BestResult best, IReadOnlyList<MetricDigest> metrics)
    {
        var baseName = MetricKinds.BaseName(best.Key);
        return metrics.FirstOrDefault(m => MetricKinds.EvaluationRank(m.Key) is null && m.Key != best.Key
            && MetricKinds.BaseName(m.Key).Equals(baseName, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Null unless the training series was logged at exactly the first and the last evaluation step, all four values finite.</summary>
    public static TrainGap? Gap(string trainKey, IReadOnlyDictionary<long, StoredPoint> train, MetricDigest validation)
    {
        double? At(StoredPoint evaluation) =>
            train.TryGetValue(evaluation.Step, out var t) && t.Step == evaluation.Step && double.IsFinite(t.Value) && double.IsFinite(evaluation.Value)
                ? t.Value - evaluation.Value : null;
        return At(validation.First) is { } first && At(validation.Last) is { } last
            ? new TrainGap(trainKey, validation.First.Step, first, validation.Last.Step, last)
            : null;
    }

    private static string StepRange(long? first, long? last) => (first, last) switch
    {
        ({ } a, { } b) when a != b => $", steps {a}–{b}",
        ({ } a, _) => $", step {a}",
        _ => "",
    };

    private static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };
}
