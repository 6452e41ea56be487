using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Core.Rules;

/// <summary>
/// The default rule set: every warning sign of the S4GAN monitoring guide, with its thresholds and
/// advice, plus the signs that hold for any run (non-finite and spiking losses, validation loss
/// rising while training loss falls, crashes, stalls). It is data, shipped as
/// <c>monitoring-guide.json</c>; the host reads it as the first configuration source, so the
/// deployment's <c>Rules</c> section changes, disables or adds rules by id.
/// </summary>
public static class GuideRules
{
    private const string ResourceName = "Dashboard.Core.Rules.monitoring-guide.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The JSON document (<c>{"Rules": {id: rule}}</c>), for a configuration source.</summary>
    public static Stream OpenJson() =>
        typeof(GuideRules).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(GuideRules).Assembly.GetName().Name}.");

    public static IReadOnlyDictionary<string, RuleDefinition> Load()
    {
        using var stream = OpenJson();
        return JsonSerializer.Deserialize<Document>(stream, JsonOptions)!.Rules;
    }

    private sealed record Document(Dictionary<string, RuleDefinition> Rules);
}
