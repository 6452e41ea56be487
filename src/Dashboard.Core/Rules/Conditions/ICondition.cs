namespace Dashboard.Core.Rules.Conditions;

/// <summary>
/// The state of one rule on one metric (or pair) of one run. Sees each point once, in step order,
/// and does a bounded amount of work per point. <paramref name="input"/> is 0 for the rule's metric
/// and 1 for its <c>Versus</c> metric. Null means "no opinion": the alert stays as it is.
/// </summary>
internal interface ICondition
{
    Reading? Observe(int input, long step, double value);
}
