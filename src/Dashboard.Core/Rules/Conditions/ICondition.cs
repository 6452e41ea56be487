using Dashboard.Core.Records;

namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// The state of one rule on one metric (or pair) of one run. Sees each point once, in strictly rising
/// step order, does a bounded amount of work per point and tells the watch, point by point, whether
/// the rule holds (<see cref="Watch.Hold"/>), does not (<see cref="Watch.Clear"/>), or neither (the
/// alert stays as it is). <paramref name="input"/> is 0 for the rule's metric and 1 for its
/// <c>Versus</c> metric. A whole batch comes in one call so the loop stays in one place.
/// </summary>
internal interface ICondition
{
    void Observe(int input, ReadOnlySpan<StoredPoint> points, Watch watch);

    /// <summary>An independent copy of the state: a snapshot the run's rules can go back to after a resume.</summary>
    ICondition Clone();
}
