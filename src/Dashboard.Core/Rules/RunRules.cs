using Dashboard.Core.Records;
using Dashboard.Core.Rules.Conditions;

namespace Dashboard.Core.Rules;

/// <summary>
/// The rule engine's state for one run. Feed it each metric's new points (in step order), the run's
/// events and its stalled flag; take the alert changes after each batch. Work per point is bounded
/// by the rules that read its metric. A point at or before a step already seen for its metric is
/// skipped, so replaying stored points and then the batches that follow never counts one twice.
/// </summary>
public sealed class RunRules(RuleSet rules)
{
    private readonly Dictionary<string, MetricRoutes> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Rule, int Side), List<string>> _pairSides = [];
    private readonly Dictionary<(string Rule, string Metric), TrackedAlert> _open = [];
    private readonly List<AlertChange> _changes = [];
    private readonly HashSet<TrackedAlert> _touched = [];
    private readonly Dictionary<string, long> _eventSteps = new(StringComparer.Ordinal);

    /// <summary>The alerts that hold now.</summary>
    public IEnumerable<TrackedAlert> Open => _open.Values;

    /// <summary>The highest step seen on any metric.</summary>
    public long? LastStep { get; private set; }

    /// <summary>
    /// A batch of points, metric by metric, each metric's in step order. They are taken in step order
    /// across metrics, so a rule that compares two metrics sees them side by side.
    /// </summary>
    public void Observe(IReadOnlyDictionary<string, List<StoredPoint>> points)
    {
        var inputs = new (MetricRoutes Routes, List<StoredPoint> Points)[points.Count];
        var next = new int[points.Count];
        var i = 0;
        foreach (var (key, list) in points)
            inputs[i++] = (Routes(key), list);
        while (true)
        {
            var pick = -1;
            for (var k = 0; k < inputs.Length; k++)
            {
                if (next[k] < inputs[k].Points.Count && (pick < 0 || inputs[k].Points[next[k]].Step < inputs[pick].Points[next[pick]].Step))
                    pick = k;
            }
            if (pick < 0)
                return;
            Observe(inputs[pick].Routes, inputs[pick].Points[next[pick]++]);
        }
    }

    private void Observe(MetricRoutes metric, StoredPoint point)
    {
        if (point.Step <= metric.LastStep)
            return;
        metric.LastStep = point.Step;
        foreach (var (watch, input) in metric.Watches)
        {
            if (watch.Condition.Observe(input, point.Step, point.Value) is { } reading)
                Apply(watch.Rule, watch.Metric, reading, point.Step);
        }
        if (point.Step > LastStep || LastStep is null)
            LastStep = point.Step;
        if (_eventSteps.Count > 0)
            ClearEventsBefore(point.Step);
    }

    /// <summary>A crash or out-of-memory line raises the event rules that name it.</summary>
    public void Observe(RunEvent runEvent)
    {
        foreach (var rule in rules.Rules)
        {
            if (rule.Definition.Kind != RuleKind.Event || !rule.Definition.Events.Contains(runEvent.Kind))
                continue;
            var step = runEvent.Step ?? LastStep ?? 0;
            _eventSteps[rule.Id] = step;
            Apply(rule, "", new(true, step, double.NaN, rule.Definition.Severity), step);
        }
    }

    public void ObserveStalled(bool stalled)
    {
        foreach (var rule in rules.Rules)
        {
            if (rule.Definition.Kind == RuleKind.Stalled)
                Apply(rule, "", new(stalled, LastStep ?? 0, double.NaN, rule.Definition.Severity), LastStep ?? 0);
        }
    }

    /// <summary>Everything that changed since the last call: raises and resolves in order, then updates of alerts that still hold.</summary>
    public IReadOnlyList<AlertChange> TakeChanges()
    {
        var changes = new List<AlertChange>(_changes);
        foreach (var alert in _touched)
        {
            if (!alert.Resolved && !_changes.Any(c => c.Alert == alert))
                changes.Add(new(AlertChangeKind.Updated, alert));
        }
        _changes.Clear();
        _touched.Clear();
        return changes;
    }

    private void ClearEventsBefore(long step)
    {
        foreach (var (ruleId, eventStep) in _eventSteps.ToList())
        {
            if (step <= eventStep)
                continue;
            _eventSteps.Remove(ruleId);
            var rule = rules.Rules.First(r => r.Id == ruleId);
            Apply(rule, "", Reading.Clear, step);
        }
    }

    private void Apply(Rule rule, string metric, Reading reading, long step)
    {
        var open = _open.GetValueOrDefault((rule.Id, metric));
        if (!reading.Holds)
        {
            if (open is null)
                return;
            open.Resolved = true;
            open.LastStep = Math.Max(open.LastStep ?? step, step);
            _open.Remove((rule.Id, metric));
            _changes.Add(new(AlertChangeKind.Resolved, open));
            return;
        }
        if (open is null)
        {
            open = new TrackedAlert
            {
                RuleId = rule.Id,
                Metric = metric,
                Message = Describe(rule.Definition.Message, metric),
                Advice = rule.Definition.Advice,
                FirstStep = reading.Since,
                Severity = reading.Severity,
            };
            _open[(rule.Id, metric)] = open;
            _changes.Add(new(AlertChangeKind.Raised, open));
        }
        open.LastStep = step;
        open.Value = double.IsNaN(reading.Value) && rule.Definition.Kind is RuleKind.Event or RuleKind.Stalled ? null : reading.Value;
        if (reading.Severity > open.Severity)
            open.Severity = reading.Severity;
        _touched.Add(open);
    }

    private static string Describe(string message, string metric)
    {
        var names = metric.Split(" − ");
        return message.Replace("{metric}", names[0], StringComparison.Ordinal)
            .Replace("{versus}", names.Length > 1 ? names[1] : "", StringComparison.Ordinal);
    }

    private MetricRoutes Routes(string key)
    {
        if (_metrics.TryGetValue(key, out var routes))
            return routes;
        routes = _metrics[key] = new MetricRoutes();
        foreach (var rule in rules.Rules)
        {
            var definition = rule.Definition;
            if (definition.Kind is not { } kind || !ConditionFactory.ReadsMetrics(kind))
                continue;
            if (!ConditionFactory.ReadsTwoMetrics(kind))
            {
                if (MetricPattern.MatchesAny(definition.Metrics, key))
                    routes.Watches.Add((new Watch(rule, key, ConditionFactory.Create(definition)), 0));
                continue;
            }
            for (var side = 0; side < 2; side++)
            {
                if (!MetricPattern.MatchesAny(side == 0 ? definition.Metrics : definition.Versus, key))
                    continue;
                Pair(rule, side, key, routes);
                break;
            }
        }
        return routes;
    }

    /// <summary>Binds a two-metric rule once both of a pair (<c>train/x</c>, <c>val/x</c>) have appeared.</summary>
    private void Pair(Rule rule, int side, string key, MetricRoutes routes)
    {
        if (!_pairSides.TryGetValue((rule.Id, side), out var mine))
            _pairSides[(rule.Id, side)] = mine = [];
        mine.Add(key);
        var twin = MetricPattern.TwinName(key);
        foreach (var other in _pairSides.GetValueOrDefault((rule.Id, 1 - side)) ?? [])
        {
            if (other == key || MetricPattern.TwinName(other) != twin)
                continue;
            var (subject, versus) = side == 0 ? (key, other) : (other, key);
            var watch = new Watch(rule, $"{subject} − {versus}", ConditionFactory.Create(rule.Definition));
            routes.Watches.Add((watch, side));
            _metrics[other].Watches.Add((watch, 1 - side));
        }
    }

    private sealed record Watch(Rule Rule, string Metric, ICondition Condition);

    private sealed class MetricRoutes
    {
        public List<(Watch Watch, int Input)> Watches { get; } = [];
        public long LastStep { get; set; } = long.MinValue;
    }
}
