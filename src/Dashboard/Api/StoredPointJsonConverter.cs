using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Core.Records;

namespace Dashboard.Api;

/// <summary>A point travels as [step, value, unixMs]; a non-finite value as "NaN", "Infinity" or "-Infinity".</summary>
public sealed class StoredPointJsonConverter : JsonConverter<StoredPoint>
{
    public override StoredPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("A point is an array [step, value, unixMs].");
        reader.Read();
        var step = reader.GetInt64();
        reader.Read();
        var value = reader.TokenType == JsonTokenType.String ? ParseNonFinite(reader.GetString()) : reader.GetDouble();
        reader.Read();
        var unixMs = reader.GetInt64();
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
            throw new JsonException("A point has exactly three elements [step, value, unixMs].");
        return new StoredPoint(step, value, unixMs);
    }

    public override void Write(Utf8JsonWriter writer, StoredPoint value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Step);
        WriteValue(writer, value.Value);
        writer.WriteNumberValue(value.UnixMs);
        writer.WriteEndArray();
    }

    public static void WriteValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static double ParseNonFinite(string? text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => throw new JsonException($"'{text}' is not a number; the only strings allowed are NaN, Infinity and -Infinity."),
    };
}
