using Dashboard.Core.Rules.Conditions;

namespace Dashboard.Core.Rules;

/// <summary>
/// One rule on one metric (or pair) of one run: its condition's state and the alert it holds open,
/// if any. Conditions tell it, point by point, whether the rule holds; it raises, updates and
/// resolves the alert. An alert that needed <c>Points</c> readings to rise needs as many clear ones
/// to resolve, so a value hovering at a band's edge does not raise and resolve it over and over.
/// </summary>
internal sealed class Watch(Rule rule, string metric, ICondition? condition, ChangeLog log)
{
    private int _clearStreak;

    public Rule Rule { get; } = rule;
    public string Metric { get; } = metric;
    public ICondition? Condition { get; } = condition;
    public TrackedAlert? Open { get; private set; }

    /// <summary>Set while the open alert changed in the current batch.</summary>
    public bool Touched { get; private set; }

    // A flag, not a set of the batch's raised alerts: hashing each new alert's identity cost a third of the rules' evaluation on a run that went bad.
    private bool _raisedInBatch;

    /// <summary>The rule does not hold at <paramref name="step"/>. Free when no alert is open, which is nearly always.</summary>
    public void Clear(long step)
    {
        if (Open is not null)
            CountClear(step);
    }

    /// <summary>The rule holds at <paramref name="step"/>, since <paramref name="since"/>, shown by <paramref name="value"/>.</summary>
    public void Hold(long since, long step, double value, AlertSeverity severity)
    {
        _clearStreak = 0;
        var open = Open;
        if (open is null)
        {
            Open = open = new TrackedAlert
            {
                RuleId = Rule.Id,
                Metric = Metric,
                Message = Describe(Rule.Definition.Message, Metric),
                Advice = Rule.Definition.Advice,
                FirstStep = since,
                Severity = severity,
            };
            _raisedInBatch = true;
            log.Raised(open);
        }
        open.LastStep = step;
        open.Value = double.IsNaN(value) && Rule.Definition.Kind is RuleKind.Event or RuleKind.Stalled ? null : value;
        if (severity > open.Severity)
            open.Severity = severity;
        if (!Touched)
        {
            Touched = true;
            log.Touched(this);
        }
    }

    /// <summary>The open alert if it changed in this batch without rising in it (an update: resolving closes it), with the batch's marks cleared.</summary>
    public TrackedAlert? TakeUpdate()
    {
        var update = _raisedInBatch ? null : Open;
        Touched = false;
        _raisedInBatch = false;
        return update;
    }

    /// <summary>The same state, condition and open alert copied, reporting to <paramref name="toLog"/> (taken with no change waiting).</summary>
    public Watch Copy(ChangeLog toLog) => new(Rule, Metric, Condition?.Clone(), toLog) { Open = Open?.Copy(), _clearStreak = _clearStreak };

    private void CountClear(long step)
    {
        if (++_clearStreak < Rule.Definition.Points)
            return;
        var open = Open!;
        open.Resolved = true;
        open.LastStep = Math.Max(open.LastStep ?? step, step);
        Open = null;
        log.Resolved(open);
    }

    private static string Describe(string message, string metric)
    {
        var names = metric.Split(" − ");
        return message.Replace("{metric}", names[0], StringComparison.Ordinal)
            .Replace("{versus}", names.Length > 1 ? names[1] : "", StringComparison.Ordinal);
    }
}
