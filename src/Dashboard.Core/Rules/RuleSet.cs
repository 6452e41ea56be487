namespace Dashboard.Core.Rules;

/// <summary>The enabled rules of a configuration, validated, in id order.</summary>
public sealed class RuleSet
{
    public RuleSet(IReadOnlyDictionary<string, RuleDefinition> rules)
    {
        var errors = RuleSetValidator.Validate(rules);
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(rules));
        Rules = [.. rules.Where(r => r.Value.Enabled).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new Rule(r.Key, r.Value))];
    }

    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The expected bands that apply to a metric (for shading charts).</summary>
    public IEnumerable<(Rule Rule, ExpectedBand Band)> BandsFor(string metric) =>
        from rule in Rules
        where rule.Definition.Kind == RuleKind.Band && MetricPattern.MatchesAny(rule.Definition.Metrics, metric)
        from band in rule.Definition.Bands
        select (rule, band);
}

/// <summary>A rule and its id (its key in configuration).</summary>
public sealed record Rule(string Id, RuleDefinition Definition);
