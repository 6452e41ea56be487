namespace Dashboard.Core.Rules;

/// <summary>
/// Copies of one run's rule state, taken as the run goes, so that a resume to an earlier step goes on from
/// the last copy before that step instead of replaying the run from its first point (a run that resumed ten
/// times replayed its whole history ten times). Dense near the present, sparser further back.
/// </summary>
public sealed class RuleSnapshots(long every = RuleSnapshots.DefaultEvery, int keep = RuleSnapshots.DefaultKeep)
{
    /// <summary>Points read between two copies: a resume replays fewer than this from the store, past the copies' reach more.</summary>
    public const long DefaultEvery = 20_000;

    /// <summary>Copies kept: when full, the one whose neighbours are closest together for their age goes, so the copies spread out into the past.</summary>
    public const int DefaultKeep = 8;

    private readonly List<RunRules> _taken = [];

    public int Count => _taken.Count;

    /// <summary>Takes a copy of <paramref name="engine"/> (its changes taken) once it has read enough points since the last copy.</summary>
    public void Offer(RunRules engine)
    {
        var last = _taken.Count > 0 ? _taken[^1].Observed : 0;
        if (engine.Observed - last < every)
            return;
        _taken.Add(engine.Snapshot());
        if (_taken.Count > keep)
            Thin(engine.Observed);
    }

    /// <summary>
    /// Drops the copy (never the oldest nor the newest) whose neighbours' distance is the smallest part of their age:
    /// the spacing grows in proportion to age, so a resume replays about as far as it went back, whatever the run's length.
    /// </summary>
    private void Thin(long now)
    {
        var (drop, closest) = (1, double.MaxValue);
        for (var i = 1; i < _taken.Count - 1; i++)
        {
            var closeness = (double)(_taken[i + 1].Observed - _taken[i - 1].Observed) / (now - _taken[i - 1].Observed);
            if (closeness < closest)
                (drop, closest) = (i, closeness);
        }
        _taken.RemoveAt(drop);
    }

    /// <summary>
    /// The run's rule state as it was before step <paramref name="from"/>, where a resume rewrote the points from,
    /// as a copy to go on with; null when no copy is that old. Copies that read rewritten points are dropped.
    /// </summary>
    public RunRules? Before(long from)
    {
        _taken.RemoveAll(taken => taken.LastStep >= from);
        return _taken.Count > 0 ? _taken[^1].Snapshot() : null;
    }
}
