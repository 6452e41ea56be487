using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Agent;

/// <summary>
/// <see cref="AgentPoints"/> on the wire as <c>{keys, n, k, s, v, t}</c>: the count first, so each column is read
/// into one array of its final size. The serializer's own arrays grow by doubling through a list and copy at the
/// end — several large-object-heap arrays a column for a batch of tens of thousands of points, and gen-2
/// collections in the service all through a cold ingest.
/// </summary>
public sealed class AgentPointsJsonConverter : JsonConverter<AgentPoints>
{
    public override AgentPoints Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("points: an object {keys, n, k, s, v, t} expected.");
        List<string>? keys = null;
        var count = -1;
        (int[]? k, long[]? s, double[]? v, long[]? t) = (null, null, null, null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "keys":
                    keys = JsonSerializer.Deserialize<List<string>>(ref reader, options);
                    break;
                case "n":
                    count = reader.GetInt32();
                    if (count < 0)
                        throw new JsonException("points.n: the number of points, never negative.");
                    break;
                case "k":
                    k = Column(ref reader, count, "k", static (ref Utf8JsonReader r) => r.GetInt32());
                    break;
                case "s":
                    s = Column(ref reader, count, "s", static (ref Utf8JsonReader r) => r.GetInt64());
                    break;
                case "v":
                    v = Column(ref reader, count, "v", Value);
                    break;
                case "t":
                    t = Column(ref reader, count, "t", static (ref Utf8JsonReader r) => r.GetInt64());
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (keys is null || k is null || s is null || v is null || t is null || keys.Any(key => key is null))
            throw new JsonException("points: needs keys, n, k, s, v and t.");
        return new AgentPoints(keys, k, s, v, t);
    }

    public override void Write(Utf8JsonWriter writer, AgentPoints value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("keys");
        JsonSerializer.Serialize(writer, value.Keys, options);
        writer.WriteNumber("n", value.Count);
        writer.WriteStartArray("k");
        foreach (var index in value.KeyIndex)
            writer.WriteNumberValue(index);
        writer.WriteEndArray();
        WriteColumn(writer, "s", value.Step);
        writer.WriteStartArray("v");
        foreach (var number in value.Value)
        {
            if (double.IsFinite(number))
                writer.WriteNumberValue(number);
            else
                writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
        writer.WriteEndArray();
        WriteColumn(writer, "t", value.UnixMs);
        writer.WriteEndObject();
    }

    private delegate T Element<T>(ref Utf8JsonReader reader);

    /// <summary>A column of <paramref name="count"/> numbers (grown as read when the count did not come first).</summary>
    private static T[] Column<T>(ref Utf8JsonReader reader, int count, string name, Element<T> element)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"points.{name}: an array expected.");
        var column = new T[Math.Max(count, 0)];
        var read = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (read == column.Length)
            {
                if (count >= 0)
                    throw new JsonException($"points.{name}: more than n = {count} entries.");
                Array.Resize(ref column, Math.Max(16, column.Length * 2));
            }
            column[read++] = element(ref reader);
        }
        if (read != column.Length)
            Array.Resize(ref column, read);
        return column;
    }

    /// <summary>A number, or "NaN", "Infinity" or "-Infinity" as the API writes non-finite values.</summary>
    private static double Value(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var other => throw new JsonException($"points.v: '{other}' is not a number."),
            }
            : reader.GetDouble();

    private static void WriteColumn(Utf8JsonWriter writer, string name, long[] column)
    {
        writer.WriteStartArray(name);
        foreach (var number in column)
            writer.WriteNumberValue(number);
        writer.WriteEndArray();
    }
}
