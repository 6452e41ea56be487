namespace Dashboard.Core.Rules;

/// <summary>What a run's watches did to their alerts since the engine's changes were last taken.</summary>
internal sealed class ChangeLog
{
    private readonly List<AlertChange> _changes = [];
    private readonly List<Watch> _touched = [];

    public void Raised(TrackedAlert alert) => _changes.Add(new(AlertChangeKind.Raised, alert));

    public void Resolved(TrackedAlert alert) => _changes.Add(new(AlertChangeKind.Resolved, alert));

    public void Touched(Watch watch) => _touched.Add(watch);

    public bool IsEmpty => _changes.Count == 0 && _touched.Count == 0;

    /// <summary>Raises and resolves in order, then one update for each alert that changed and still holds.</summary>
    public IReadOnlyList<AlertChange> Take()
    {
        // Taken after every commit and every replayed chunk, and nearly always empty on a healthy run.
        if (IsEmpty)
            return [];
        var changes = new List<AlertChange>(_changes.Count + _touched.Count);
        changes.AddRange(_changes);
        foreach (var watch in _touched)
            if (watch.TakeUpdate() is { } alert)
                changes.Add(new(AlertChangeKind.Updated, alert));
        _changes.Clear();
        _touched.Clear();
        return changes;
    }
}
