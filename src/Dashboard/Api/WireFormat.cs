using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Api;

/// <summary>One JSON shape for the HTTP API and the hub: camelCase, lowercase enums, non-finite numbers as strings.</summary>
public static class WireFormat
{
    /// <summary>The same format for code that serializes outside the HTTP and hub pipelines (frozen reports, webhooks).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new StoredPointJsonConverter());
    }
}
