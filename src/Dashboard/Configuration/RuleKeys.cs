using Dashboard.Core.Rules;

namespace Dashboard.Configuration;

/// <summary>Keys under <c>Rules</c> that no rule property reads (a typo such as <c>Treshold</c> would otherwise be ignored in silence).</summary>
public static class RuleKeys
{
    private static readonly HashSet<string> RuleProperties = Names<RuleDefinition>();
    private static readonly HashSet<string> BandProperties = Names<ExpectedBand>();

    public static IEnumerable<string> Unknown(IConfiguration configuration)
    {
        foreach (var rule in configuration.GetSection("Rules").GetChildren())
        {
            foreach (var property in rule.GetChildren())
            {
                if (!RuleProperties.Contains(property.Key))
                    yield return $"{property.Path}: is not a rule setting (one of {string.Join(", ", RuleProperties.Order())}).";
                else if (property.Key.Equals(nameof(RuleDefinition.Bands), StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var band in property.GetChildren().SelectMany(b => b.GetChildren()))
                    {
                        if (!BandProperties.Contains(band.Key))
                            yield return $"{band.Path}: is not a band setting (one of {string.Join(", ", BandProperties.Order())}).";
                    }
                }
            }
        }
    }

    private static HashSet<string> Names<T>() =>
        new(typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
}
