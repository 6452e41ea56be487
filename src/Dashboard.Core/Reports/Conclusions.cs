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

    public static IReadOnlyList<Finding> ForRun(RunReport report, RunInput run)
    {
        var findings = new List<Finding>();
        Status(report.Run, findings);
        if (report.Throughput is null && ThroughputMeter.Primary(run.Metrics) is { Points.Count: >= 2 } primary && !ThroughputMeter.TimesAdvance(primary.Points))
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

        if (ReportCharts.HeadlineLoss(run.Metrics) is { } loss)
            Tail(loss, findings);
        foreach (var s in report.Switches)
            findings.Add(new Finding(Finding.Observation, "info", s.Text + "."));
        foreach (var lr in report.LearningRates.Where(l => l.Note is not null))
            findings.Add(new Finding(Finding.Observation, "info", $"{lr.Key}: {lr.Note}."));

        if (report.BestEvaluation is { } best)
            Best(best, report, run, findings);
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
    private static void Tail(MetricInput loss, List<Finding> findings)
    {
        var finite = loss.Points.Where(p => double.IsFinite(p.Value)).ToList();
        if (finite.Count < 20)
            return;
        var first = finite[0].Step;
        var last = finite[^1].Step;
        var window = finite.Where(p => p.Step >= last - (last - first) / 10).ToList();
        if (window.Count < 10)
            return;
        var fifth = window.Count / 5;
        var start = window.Take(fifth).Average(p => p.Value);
        var end = window.Skip(window.Count - fifth).Average(p => p.Value);
        var range = finite.Max(p => p.Value) - finite.Min(p => p.Value);
        if (range <= 0)
            return;
        var move = end - start;
        var from = window[0].Step;
        if (Math.Abs(move) < FlatShare * range)
            findings.Add(new Finding(Finding.Observation, "info",
                $"{loss.Key} levelled off: over steps {from}–{last} its mean moved by {ReportNumber.Format(move)}, under 1% of its range ({ReportNumber.Format(range)})."));
        else if (move < -StillMovingShare * range)
            findings.Add(new Finding(Finding.Recommendation, "info",
                $"{loss.Key} was still falling over steps {from}–{last} (its mean moved by {ReportNumber.Format(move)}, {ReportNumber.Percent(100 * -move / range)} of its range): more steps may lower it further."));
        else if (move > StillMovingShare * range)
            findings.Add(new Finding(Finding.Observation, "warning",
                $"{loss.Key} was rising over steps {from}–{last} (its mean moved by +{ReportNumber.Format(move)}, {ReportNumber.Percent(100 * move / range)} of its range)."));
    }

    private static void Best(BestResult best, RunReport report, RunInput run, List<Finding> findings)
    {
        findings.Add(new Finding(Finding.Observation, "info",
            $"Best {best.Key}: {ReportNumber.Format(best.Best.Value)} at step {best.Best.Step} ({best.Evaluations} evaluations); the last was {ReportNumber.Format(best.Final.Value)} at step {best.Final.Step}."));
        if (best.Best.Step != best.Final.Step && best.Best.Value != best.Final.Value)
            findings.Add(new Finding(Finding.Recommendation, "info",
                $"{best.Key} peaked before the end: keep the checkpoint from step {best.Best.Step}{(report.Checkpoint is { } c ? $" ({c.Name})" : "")}, not the last one."));
        else if (report.Checkpoint is { } checkpoint)
            findings.Add(new Finding(Finding.Recommendation, "info", $"Keep {checkpoint.Name}: {checkpoint.Reason}."));

        var baseName = MetricKinds.BaseName(best.Key);
        var train = run.Metrics.FirstOrDefault(m => MetricKinds.EvaluationRank(m.Key) is null && m.Key != best.Key
            && MetricKinds.BaseName(m.Key).Equals(baseName, StringComparison.OrdinalIgnoreCase) && m.Points.Count > 0);
        var validation = run.Metrics.First(m => m.Key == best.Key);
        if (train is null || validation.Points.Count == 0)
            return;
        var firstGap = Gap(train, validation.Points[0].Step, validation.Points[0].Value);
        var lastGap = Gap(train, validation.Points[^1].Step, validation.Points[^1].Value);
        if (firstGap is null || lastGap is null)
            return;
        var widened = best.Direction == MetricKinds.HigherIsBetter ? lastGap > firstGap : lastGap < firstGap;
        findings.Add(new Finding(Finding.Observation, widened ? "warning" : "info",
            $"{train.Key} − {best.Key} was {ReportNumber.Format(firstGap.Value)} at the first evaluation (step {validation.Points[0].Step}) and {ReportNumber.Format(lastGap.Value)} at the last (step {validation.Points[^1].Step}): the gap {(widened ? "widened" : "did not widen")}."));
    }

    private static double? Gap(MetricInput train, long step, double validation) =>
        MetricStatistics.AtOrBefore(train.Points, step) is { } t && t.Step == step && double.IsFinite(t.Value) && double.IsFinite(validation) ? t.Value - validation : null;

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
