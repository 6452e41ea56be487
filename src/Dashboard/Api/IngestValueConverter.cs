using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Api;

/// <summary>
/// A point's value: a JSON number, or "NaN", "Infinity", "-Infinity". A number too large for a double
/// (<c>1e400</c>) is refused rather than stored as Infinity: Infinity must be said, not overflowed into.
/// </summary>
public sealed class IngestValueConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDouble(out var value) && double.IsFinite(value))
                return value;
            throw new JsonException("a number outside the range of a double; send \"Infinity\" or \"-Infinity\" for an infinite value");
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var other => throw new JsonException($"'{Truncate(other)}' is not a number; the only strings taken are \"NaN\", \"Infinity\" and \"-Infinity\""),
            };
        }
        throw new JsonException($"a value must be a number, \"NaN\", \"Infinity\" or \"-Infinity\", not {reader.TokenType}");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);

    private static string? Truncate(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;
}
