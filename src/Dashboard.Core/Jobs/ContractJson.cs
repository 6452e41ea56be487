using System.Text.Json;

namespace Dashboard.Core.Jobs;

/// <summary>Reads a file an evaluator wrote; text that is not JSON is a <see cref="FormatException"/> naming the file.</summary>
internal static class ContractJson
{
    public static JsonDocument Parse(string json, string fileName)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw new FormatException($"{fileName} is not JSON ({error.Message})");
        }
    }
}
