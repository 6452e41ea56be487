using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>The pure function from runs' stored data (points, events, config, alerts) to a report.</summary>
public static class ReportBuilder
{
    /// <summary>Milestones and phases follow this many metrics: the losses first, then the evaluations.</summary>
    private const int HeadlineCount = 8;

    /// <summary>The points already in memory: every read below completes at once, so waiting on it blocks nothing.</summary>
    public static Report ForRun(RunInput run, DateTimeOffset createdAt) =>
        ForRunAsync(RunSource.InMemory(run), createdAt, CancellationToken.None).GetAwaiter().GetResult();

    public static Report ForComparison(IReadOnlyList<RunInput> runs, DateTimeOffset createdAt) =>
        ForComparisonAsync([.. runs.Select(RunSource.InMemory)], createdAt, CancellationToken.None).GetAwaiter().GetResult();

    public static RunReport Describe(RunInput run) =>
        DescribeAsync(RunSource.InMemory(run), CancellationToken.None).GetAwaiter().GetResult().Report;

    public static async Task<Report> ForRunAsync(RunSource run, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var described = await DescribeAsync(run, cancellationToken);
        return new Report(Report.CurrentVersion, Report.RunKind, $"{run.Run.Project} / {run.Run.Name}", createdAt, [described.Report], null,
            ReportCharts.Build([described]), Conclusions.ForRun(described));
    }

    /// <summary>One run after the other, so that only one run's metric is in memory at a time.</summary>
    public static async Task<Report> ForComparisonAsync(IReadOnlyList<RunSource> runs, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        if (runs.Count < 2)
            throw new ArgumentException("A comparison needs at least two runs.", nameof(runs));
        var described = new List<DescribedRun>(runs.Count);
        foreach (var run in runs)
            described.Add(await DescribeAsync(run, cancellationToken));
        var reports = described.Select(d => d.Report).ToList();
        var comparison = Compare(reports);
        var conclusions = Conclusions.ForComparison(reports, comparison)
            .Concat(described.SelectMany(d => Conclusions.ForRun(d).Select(f => f with { Text = $"{d.Report.Run.Name}: {f.Text}" })))
            .ToList();
        return new Report(Report.CurrentVersion, Report.ComparisonKind, "Comparison: " + string.Join(" vs ", runs.Select(r => $"{r.Run.Project} / {r.Run.Name}")),
            createdAt, reports, comparison, ReportCharts.Build(described), conclusions);
    }

    /// <summary>
    /// Two looks at the points, one metric at a time: first every metric in the run's order (its
    /// statistics, switch, schedule and chart); then again only the headline metrics and the training
    /// twin of the best evaluation, whose questions (milestone steps, phases, evaluation steps)
    /// depend on what the first look found in all of them.
    /// </summary>
    public static async Task<DescribedRun> DescribeAsync(RunSource source, CancellationToken cancellationToken)
    {
        var run = source.Run;
        var config = ConfigEntries.Flatten(run.Config);
        var digests = new List<MetricDigest>(source.Keys.Count);
        foreach (var key in source.Keys)
            if (MetricDigest.Of(key, await source.Read(key, cancellationToken), config) is { } digest)
                digests.Add(digest);

        var metrics = digests.OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        var headline = Headline(metrics);
        var switches = metrics.Select(m => m.Switch).OfType<RegimeSwitch>().ToList();
        var first = metrics.Count == 0 ? 0 : metrics.Min(m => m.First.Step);
        var last = metrics.Count == 0 ? 0 : metrics.Max(m => m.Last.Step);
        var best = BestEvaluation.Find(metrics);
        var validation = best is null ? null : digests.First(m => m.Key == best.Key);
        var train = best is null ? null : Conclusions.TrainTwin(best, digests);
        var loss = ReportCharts.HeadlineLoss(metrics);
        var milestones = Milestones.Steps(headline, run.TotalSteps);
        IEnumerable<long> steps = [.. milestones.Select(m => m.Step), .. validation is null ? [] : (long[])[validation.First.Step, validation.Last.Step]];

        var looks = new Dictionary<string, MetricLook>(StringComparer.Ordinal);
        foreach (var metric in headline.Append(train).OfType<MetricDigest>().DistinctBy(m => m.Key))
            looks[metric.Key] = MetricLook.Of(new MetricInput(metric.Key, await source.Read(metric.Key, cancellationToken)), steps, switches, first, last, metric.Key == loss?.Key);
        var headlineLooks = headline.Select(m => looks[m.Key]).ToList();

        var report = new RunReport(
            new RunFacts(run.Id, run.Name, run.Project, run.Status, run.Step, run.TotalSteps) { Note = run.Note, Tags = run.Tags },
            Timing(run, metrics),
            ThroughputMeter.Measure(metrics, config),
            config,
            [.. metrics.Select(m => m.Statistics)],
            Milestones.At(milestones, headlineLooks),
            switches,
            Phases(switches, headlineLooks, first, last),
            [.. metrics.Select(m => m.LearningRate).OfType<LearningRateSchedule>()],
            [.. run.Alerts.OrderBy(a => a.RaisedAt)],
            best,
            BestEvaluation.Checkpoint(run.Events, best),
            run.Samples);
        var headlineLoss = loss is null ? null : looks[loss.Key];
        var gap = train is null || validation is null ? null : Conclusions.Gap(train.Key, looks[train.Key].AtOrBefore, validation);
        return new DescribedRun(run, report, metrics, headlineLoss?.Distribution, headlineLoss?.Tail, gap);
    }

    private static List<MetricDigest> Headline(IReadOnlyList<MetricDigest> metrics)
    {
        var loss = ReportCharts.HeadlineLoss(metrics);
        return metrics
            .Where(m => MetricKinds.Family(m.Key) == MetricKinds.Losses || (MetricKinds.EvaluationRank(m.Key) is not null && MetricKinds.Direction(m.Key) != MetricKinds.Unknown))
            .OrderBy(m => m.Key == loss?.Key ? 0 : MetricKinds.EvaluationRank(m.Key) is null ? 1 : 2)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .Take(HeadlineCount)
            .ToList();
    }

    /// <summary>The phases between the switches, each with every headline metric's change within it, in the headline's order.</summary>
    private static IReadOnlyList<Phase> Phases(IReadOnlyList<RegimeSwitch> switches, IReadOnlyList<MetricLook> headline, long first, long last) =>
        [.. RegimeSwitches.Phases(switches, [], first, last).Select((phase, i) => phase with { Changes = [.. headline.SelectMany(m => m.Phases[i].Changes)] })];

    /// <summary>From the first to the last point of the most often logged metric (see <see cref="ThroughputMeter.Primary"/>).</summary>
    private static RunTiming? Timing(RunInput run, IReadOnlyList<MetricDigest> metrics)
    {
        if (ThroughputMeter.Primary(metrics) is not { } primary)
            return run.UpdatedAt > run.StartedAt ? new RunTiming(run.StartedAt, run.UpdatedAt, (run.UpdatedAt - run.StartedAt).TotalSeconds) : null;
        if (!primary.TimesAdvance)
            return null;
        var start = UnixTime.ToDate(primary.First.UnixMs);
        var end = UnixTime.ToDate(primary.Last.UnixMs);
        return new RunTiming(start, end, (end - start).TotalSeconds);
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
