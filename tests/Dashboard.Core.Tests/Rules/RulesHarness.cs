using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Core.Simulation;

namespace Dashboard.Core.Tests.Rules;

/// <summary>What happened to an alert, and at which step of the log (the last step read when it happened).</summary>
internal sealed record Seen(AlertChangeKind Kind, string Rule, string Metric, long AtStep, long? FirstStep, AlertSeverity Severity);

/// <summary>Runs log lines through the real text parser and a rule engine, line by line as a tailer would.</summary>
internal static class RulesHarness
{
    public static IReadOnlyDictionary<string, RuleDefinition> Guide { get; } = GuideRules.Load();

    /// <summary>A plain threshold on <c>loss</c>: above 1 holds.</summary>
    public static RuleDefinition Above { get; } = new() { Kind = RuleKind.Above, Metrics = ["loss"], Threshold = 1, Message = "{metric} high" };

    public static List<Seen> Run(IEnumerable<string> lines, IReadOnlyDictionary<string, RuleDefinition>? rules = null) =>
        Run(lines, new Dictionary<string, int>(), rules);

    /// <summary>As <see cref="Run(IEnumerable{string}, IReadOnlyDictionary{string, RuleDefinition}?)"/>, counting the points of each metric the rules were given.</summary>
    public static List<Seen> Run(IEnumerable<string> lines, Dictionary<string, int> pointCounts, IReadOnlyDictionary<string, RuleDefinition>? rules = null)
    {
        var engine = new RunRules(new RuleSet(rules ?? Guide));
        var parser = new TextLogParser();
        var records = new ParsedRecords();
        var seen = new List<Seen>();
        foreach (var line in lines)
        {
            parser.ParseLine(line, 0, records);
            foreach (var point in records.Points)
                pointCounts[point.Key] = pointCounts.GetValueOrDefault(point.Key) + 1;
            Feed(engine, records.Points, records.Events);
            records.Clear();
            seen.AddRange(Take(engine));
        }
        return seen;
    }

    /// <summary>Points given as (key, step, value), fed as one batch (grouped by metric, as the writer commits them).</summary>
    public static List<Seen> Feed(RunRules engine, params (string Key, long Step, double Value)[] points)
    {
        engine.Observe(points.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => new StoredPoint(p.Step, p.Value, 0)).ToList()));
        return Take(engine);
    }

    public static IReadOnlyDictionary<string, RuleDefinition> One(RuleDefinition rule) =>
        new Dictionary<string, RuleDefinition> { ["r"] = rule with { Message = rule.Message.Length > 0 ? rule.Message : "{metric}" } };

    /// <summary>One metric's values at steps 100, 200, ..., one point per batch.</summary>
    public static List<Seen> Series(RuleDefinition rule, string key, params double[] values)
    {
        var engine = new RunRules(new RuleSet(One(rule)));
        return [.. values.SelectMany((v, i) => Feed(engine, (key, (i + 1) * 100L, v)))];
    }

    private static void Feed(RunRules engine, IReadOnlyList<MetricPoint> points, IReadOnlyList<RunEvent> events)
    {
        foreach (var point in points)
            engine.Observe(new Dictionary<string, List<StoredPoint>> { [point.Key] = [new(point.Step, point.Value, point.UnixMs)] });
        foreach (var runEvent in events)
            engine.Observe(runEvent);
    }

    private static List<Seen> Take(RunRules engine) =>
        [.. engine.TakeChanges().Select(c => new Seen(c.Kind, c.Alert.RuleId, c.Alert.Metric, c.Alert.LastStep ?? 0, c.Alert.FirstStep, c.Alert.Severity))];

    /// <summary>A training that goes unstable half-way and crashes: bands left and re-entered, warnings, NaN, evaluations read in pairs.</summary>
    public static List<MetricPoint> UnstableTraining(int? unstableFrom = 9_000)
    {
        var parser = new TextLogParser();
        var records = new ParsedRecords();
        foreach (var line in new S4GanLogSimulator(totalSteps: 20_000, logEvery: 10, evaluateEvery: 500, unstableFrom: unstableFrom).Lines())
            parser.ParseLine(line, 0, records);
        return records.Points;
    }

    /// <summary>The points in batches of <paramref name="size"/>, each grouped by metric as the writer commits them.</summary>
    public static IEnumerable<Dictionary<string, List<StoredPoint>>> Batches(List<MetricPoint> points, int size) =>
        points.Chunk(size).Select(batch => batch.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => new StoredPoint(p.Step, p.Value, 0)).ToList()));

    /// <summary>Raises, resolves and the alerts open at the end, in a stable order.</summary>
    public static List<string> Replay(RunRules engine, IEnumerable<Dictionary<string, List<StoredPoint>>> batches)
    {
        var seen = new List<string>();
        foreach (var batch in batches)
        {
            engine.Observe(batch);
            seen.AddRange(engine.TakeChanges()
                .Where(c => c.Kind != AlertChangeKind.Updated)
                // A raise is known by its first step (its last one is wherever the batch ended); a resolve by both.
                .Select(c => $"{c.Kind} {c.Alert.RuleId} {c.Alert.Metric} {c.Alert.FirstStep} {(c.Kind == AlertChangeKind.Resolved ? c.Alert.LastStep : null)}"));
        }
        seen.AddRange(engine.Open.Select(a => $"Open {a.RuleId} {a.Metric} {a.FirstStep} {a.LastStep} {a.Value} {a.Severity}"));
        return [.. seen.Order(StringComparer.Ordinal)];
    }
}
