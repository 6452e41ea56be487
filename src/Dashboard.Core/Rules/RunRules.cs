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
    private readonly List<Watch> _watches = [];
    private readonly Dictionary<string, Watch> _runLevel = new(StringComparer.Ordinal);
    private readonly ChangeLog _log = new();
    private readonly List<StoredPoint> _fresh = [];
    private readonly Dictionary<string, long> _eventSteps = new(StringComparer.Ordinal);

    /// <summary>The alerts that hold now.</summary>
    public IEnumerable<TrackedAlert> Open => _watches.Select(w => w.Open).OfType<TrackedAlert>();

    /// <summary>The highest step seen on any metric.</summary>
    public long? LastStep { get; private set; }

    /// <summary>Points the rules have read so far (repeats skipped).</summary>
    public long Observed { get; private set; }

    /// <summary>The highest step seen on one metric; null before its first point.</summary>
    public long? LastStepOf(string key) => _metrics.TryGetValue(key, out var metric) && metric.LastStep != long.MinValue ? metric.LastStep : null;

    /// <summary>
    /// A batch of points, metric by metric, each metric's in step order. Metrics that a two-metric
    /// rule reads together are taken in step order across them, so the rule sees them side by side;
    /// the others one after the other, which is cheaper.
    /// </summary>
    public void Observe(IReadOnlyDictionary<string, List<StoredPoint>> points)
    {
        var inputs = new (MetricRoutes Routes, List<StoredPoint> Points)[points.Count];
        var i = 0;
        foreach (var (key, list) in points)
            inputs[i++] = (Routes(key), list);
        var paired = 0;
        foreach (var (routes, list) in inputs)
        {
            if (routes.Paired)
            {
                paired++;
                continue;
            }
            ObserveAlone(routes, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        }
        if (paired > 0)
            ObserveInStepOrder([.. inputs.Where(input => input.Routes.Paired)]);
    }

    /// <summary>
    /// Binds the rules to the run's metrics before their points come (a replay): a two-metric rule binds a metric only
    /// once both of its pair are known, so <see cref="Reads"/> asked of one alone could say no rule reads it.
    /// </summary>
    public void Bind(IEnumerable<string> keys)
    {
        foreach (var key in keys)
            Routes(key);
    }

    /// <summary>Whether a two-metric rule reads the metric with another (after <see cref="Bind"/>): their points must come side by side in step order.</summary>
    public bool ReadsWithOther(string key) => Routes(key).Paired;

    /// <summary>Whether any rule reads the metric's points: a replay need not read a metric no rule reads (<see cref="Skip"/>).</summary>
    public bool Reads(string key) => Routes(key).Watches.Count > 0;

    /// <summary>
    /// A metric no rule reads is stored up to <paramref name="lastStep"/>: the run has come that far (events
    /// before it are over), as if its points had been observed.
    /// </summary>
    public void Skip(string key, long lastStep)
    {
        var routes = Routes(key);
        if (lastStep > routes.LastStep)
            Advance(routes, lastStep);
    }

    /// <summary>
    /// A metric no two-metric rule reads: each of its rules takes the whole run of points in one
    /// call (its loop and state stay hot), which is the same as point by point since its rules are independent.
    /// </summary>
    private void ObserveAlone(MetricRoutes metric, ReadOnlySpan<StoredPoint> points)
    {
        var fresh = Fresh(points, metric.LastStep);
        if (fresh.IsEmpty)
            return;
        foreach (var (watch, input) in metric.Watches)
            watch.Condition!.Observe(input, fresh, watch);
        Observed += fresh.Length;
        Advance(metric, fresh[^1].Step);
    }

    /// <summary>
    /// The points after <paramref name="after"/>, each past the one before. A batch is nearly always
    /// in strictly rising step order already and is taken as it is; otherwise the repeats are dropped
    /// into a scratch list.
    /// </summary>
    private ReadOnlySpan<StoredPoint> Fresh(ReadOnlySpan<StoredPoint> points, long after)
    {
        var start = 0;
        while (start < points.Length && points[start].Step <= after)
            start++;
        points = points[start..];
        var rising = true;
        for (var i = 1; i < points.Length && rising; i++)
            rising = points[i].Step > points[i - 1].Step;
        if (rising)
            return points;
        _fresh.Clear();
        foreach (ref readonly var point in points)
        {
            if (_fresh.Count == 0 || point.Step > _fresh[^1].Step)
                _fresh.Add(point);
        }
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_fresh);
    }

    private void ObserveInStepOrder((MetricRoutes Routes, List<StoredPoint> Points)[] inputs)
    {
        var next = new int[inputs.Length];
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

    private void Observe(MetricRoutes metric, in StoredPoint point)
    {
        if (point.Step <= metric.LastStep)
            return;
        foreach (var (watch, input) in metric.Watches)
            watch.Condition!.Observe(input, new ReadOnlySpan<StoredPoint>(in point), watch);
        Observed++;
        Advance(metric, point.Step);
    }

    /// <summary>The metric has been read up to <paramref name="step"/>: so has the run, and events before it are over.</summary>
    private void Advance(MetricRoutes metric, long step)
    {
        metric.LastStep = step;
        if (step > LastStep || LastStep is null)
            LastStep = step;
        if (_eventSteps.Count > 0)
            ClearEventsBefore(step);
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
            RunLevel(rule).Hold(step, step, double.NaN, rule.Definition.Severity);
        }
    }

    public void ObserveStalled(bool stalled)
    {
        foreach (var rule in rules.Rules)
        {
            if (rule.Definition.Kind != RuleKind.Stalled)
                continue;
            var step = LastStep ?? 0;
            if (stalled)
                RunLevel(rule).Hold(step, step, double.NaN, rule.Definition.Severity);
            else
                RunLevel(rule).Clear(step);
        }
    }

    /// <summary>Everything that changed since the last call: raises and resolves in order, then updates of alerts that still hold.</summary>
    public IReadOnlyList<AlertChange> TakeChanges() => _log.Take();

    /// <summary>
    /// An independent copy of the whole state (conditions, open alerts, how far each metric has been read): after a
    /// resume to a later step, a copy goes on from the store's points instead of a replay from the run's first point.
    /// Taken only once the changes are taken, so the copy has nothing to report twice.
    /// </summary>
    public RunRules Snapshot()
    {
        if (!_log.IsEmpty)
            throw new InvalidOperationException("Take the changes before a snapshot.");
        var copy = new RunRules(rules) { LastStep = LastStep, Observed = Observed };
        var copies = new Dictionary<Watch, Watch>(ReferenceEqualityComparer.Instance);
        foreach (var watch in _watches)
            copy._watches.Add(copies[watch] = watch.Copy(copy._log));
        foreach (var (key, routes) in _metrics)
        {
            var routesCopy = copy._metrics[key] = new MetricRoutes { LastStep = routes.LastStep, Paired = routes.Paired };
            foreach (var (watch, input) in routes.Watches)
                routesCopy.Watches.Add((copies[watch], input));
        }
        foreach (var (side, keys) in _pairSides)
            copy._pairSides[side] = [.. keys];
        foreach (var (ruleId, watch) in _runLevel)
            copy._runLevel[ruleId] = copies[watch];
        foreach (var (ruleId, step) in _eventSteps)
            copy._eventSteps[ruleId] = step;
        return copy;
    }

    private void ClearEventsBefore(long step)
    {
        foreach (var (ruleId, eventStep) in _eventSteps.ToList())
        {
            if (step <= eventStep)
                continue;
            _eventSteps.Remove(ruleId);
            _runLevel[ruleId].Clear(step);
        }
    }

    private Watch RunLevel(Rule rule)
    {
        if (!_runLevel.TryGetValue(rule.Id, out var watch))
        {
            _runLevel[rule.Id] = watch = new Watch(rule, "", null, _log);
            _watches.Add(watch);
        }
        return watch;
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
                    routes.Watches.Add((Track(new Watch(rule, key, ConditionFactory.Create(definition), _log)), 0));
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

    private Watch Track(Watch watch)
    {
        _watches.Add(watch);
        return watch;
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
            var watch = Track(new Watch(rule, $"{subject} − {versus}", ConditionFactory.Create(rule.Definition), _log));
            routes.Watches.Add((watch, side));
            routes.Paired = true;
            var otherRoutes = _metrics[other];
            otherRoutes.Watches.Add((watch, 1 - side));
            otherRoutes.Paired = true;
        }
    }

    private sealed class MetricRoutes
    {
        public List<(Watch Watch, int Input)> Watches { get; } = [];
        public long LastStep { get; set; } = long.MinValue;

        /// <summary>A two-metric rule reads this metric with another: their points must interleave by step.</summary>
        public bool Paired { get; set; }
    }
}
