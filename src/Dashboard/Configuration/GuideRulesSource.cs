using Dashboard.Core.Rules;

namespace Dashboard.Configuration;

/// <summary>
/// The monitoring guide's rule set as the first (lowest) configuration source: appsettings.json,
/// rule files (<c>--rules FILE</c>), environment variables (<c>Rules__loss-d-high__Threshold=1.5</c>)
/// and the command line change, disable (<c>Enabled: false</c>) or add rules by id.
/// </summary>
public static class GuideRulesSource
{
    public static void InsertFirst(IConfigurationBuilder configuration)
    {
        using var stream = GuideRules.OpenJson();
        // Copied into memory: a stream source could not be loaded again when the sources are rebuilt.
        var values = new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
    }
}
