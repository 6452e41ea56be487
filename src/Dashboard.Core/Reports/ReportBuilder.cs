namespace Dashboard.Core.Reports;

/// <summary>The pure function from runs' stored data (points, events, config, alerts) to a report.</summary>
public static class ReportBuilder
{
    /// <summary>Milestones and phases follow this many metrics: the losses first, then the evaluations.</summary>
    private const int HeadlineCount = 8;

    public static Report ForRun(RunInput run, DateTimeOffset createdAt)
    {
        var report = Describe(run);
        return new Report(Report.CurrentVersion, Report.RunKind, $"{run.Project} / {run.Name}", createdAt, [report], null,
            ReportCharts.Build([run]), Conclusions.ForRun(report, run));
    }

    public static Report ForComparison(IReadOnlyList<RunInput> runs, DateTimeOffset createdAt)
    {
        if (runs.Count < 2)
            throw new ArgumentException("A comparison needs at least two runs.", nameof(runs));
        var reports = runs.Select(Describe).ToList();
        var comparison = Compare(reports);
        var conclusions = Conclusions.ForComparison(reports, comparison)
            .Concat(reports.SelectMany((r, i) => Conclusions.ForRun(r, runs[i]).Select(f => f with { Text = $"{r.Run.Name}: {f.Text}" })))
            .ToList();
        return new Report(Report.CurrentVersion, Report.ComparisonKind, "Comparison: " + string.Join(" vs ", runs.Select(r => $"{r.Project} / {r.Name}")),
            createdAt, reports, comparison, ReportCharts.Build(runs), conclusions);
    }

    public static RunReport Describe(RunInput run)
    {
        var metrics = run.Metrics.Where(m => m.Points.Count > 0).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        var config = ConfigEntries.Flatten(run.Config);
        var headline = Headline(metrics);
        var switches = metrics.Select(m => RegimeSwitches.Find(m.Key, m.Points)).OfType<RegimeSwitch>().ToList();
        var first = metrics.Count == 0 ? 0 : metrics.Min(m => m.Points[0].Step);
        var last = metrics.Count == 0 ? 0 : metrics.Max(m => m.Points[^1].Step);
        var best = BestEvaluation.Find(metrics);
        return new RunReport(
            new RunFacts(run.Id, run.Name, run.Project, run.Status, run.Step, run.TotalSteps),
            Timing(run, metrics),
            ThroughputMeter.Measure(metrics, config),
            config,
            [.. metrics.Select(m => MetricStatistics.Describe(m.Key, m.Points))],
            Milestones.At(headline, run.TotalSteps),
            switches,
            RegimeSwitches.Phases(switches, headline, first, last),
            LearningRates(metrics, config),
            [.. run.Alerts.OrderBy(a => a.RaisedAt)],
            best,
            BestEvaluation.Checkpoint(run.Events, best),
            run.Samples);
    }

    private static List<MetricInput> Headline(IReadOnlyList<MetricInput> metrics)
    {
        var loss = ReportCharts.HeadlineLoss(metrics);
        return metrics
            .Where(m => MetricKinds.Family(m.Key) == MetricKinds.Losses || (MetricKinds.EvaluationRank(m.Key) is not null && MetricKinds.Direction(m.Key) != MetricKinds.Unknown))
            .OrderBy(m => m == loss ? 0 : MetricKinds.EvaluationRank(m.Key) is null ? 1 : 2)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .Take(HeadlineCount)
            .ToList();
    }

    /// <summary>From the first to the last point of the most often logged metric (see <see cref="ThroughputMeter.Primary"/>).</summary>
    private static RunTiming? Timing(RunInput run, IReadOnlyList<MetricInput> metrics)
    {
        if (ThroughputMeter.Primary(metrics) is not { } primary)
            return run.UpdatedAt > run.StartedAt ? new RunTiming(run.StartedAt, run.UpdatedAt, (run.UpdatedAt - run.StartedAt).TotalSeconds) : null;
        if (!ThroughputMeter.TimesAdvance(primary.Points))
            return null;
        var start = DateTimeOffset.FromUnixTimeMilliseconds(primary.Points[0].UnixMs);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(primary.Points[^1].UnixMs);
        return new RunTiming(start, end, (end - start).TotalSeconds);
    }

    private static IReadOnlyList<LearningRateSchedule> LearningRates(IReadOnlyList<MetricInput> metrics, IReadOnlyList<ConfigEntry> config)
    {
        var schedules = new List<LearningRateSchedule>();
        foreach (var metric in metrics.Where(m => MetricKinds.Family(m.Key) == MetricKinds.LearningRate))
        {
            var finite = metric.Points.Where(p => double.IsFinite(p.Value)).ToList();
            if (finite.Count == 0)
                continue;
            var min = finite.MinBy(p => p.Value);
            var max = finite.MaxBy(p => p.Value);
            string? note = null;
            if (max.Value == 0)
                note = "logged as 0 at every step, so the log's printed precision hides the learning rate" +
                    (ConfigEntries.LearningRate(config) is { } lr ? $"; the configuration sets {lr.Key} = {ReportNumber.Format(lr.Value)}" : "");
            else if (finite[^1].Value == 0 && finite[0].Value > 0)
                note = $"decays from {ReportNumber.Format(finite[0].Value)} to 0, first 0 at step {finite.First(p => p.Value == 0).Step}";
            schedules.Add(new LearningRateSchedule(metric.Key,
                new ReportPoint(finite[0].Step, finite[0].Value), new ReportPoint(min.Step, min.Value),
                new ReportPoint(max.Step, max.Value), new ReportPoint(finite[^1].Step, finite[^1].Value), note));
        }
        return schedules;
    }

    private static ComparisonReport Compare(IReadOnlyList<RunReport> reports)
    {
        var configs = reports.Select(r => r.Config.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Value)).ToList();
        var differences = configs.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(key => new ConfigDifference(key, [.. configs.Select(c => c.TryGetValue(key, out var v) ? v : null)]))
            .Where(d => d.Values.Distinct().Count() > 1)
            .ToList();

        var keys = reports.SelectMany(r => r.Metrics.Select(m => m.Key)).GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal);
        var metrics = keys.Select(key => new MetricComparison(key, MetricKinds.Direction(key), [.. reports.Select(r => r.Metrics.FirstOrDefault(m => m.Key == key) is { } m
            ? new ComparedValue(m.Initial, m.Final, m.Direction == MetricKinds.HigherIsBetter ? m.Max : m.Direction == MetricKinds.LowerIsBetter ? m.Min : null)
            : null)])).ToList();
        return new ComparisonReport(differences, metrics);
    }
}
