using System.Text.Json;

namespace Dashboard.Core.Jobs;

/// <summary>What an evaluator's <c>metrics.json</c> holds: <c>{"step": 5000, "metrics": {"val/mIoU": 0.61}}</c>.</summary>
public sealed record EvaluatorMetrics(long? Step, IReadOnlyList<KeyValuePair<string, double>> Metrics)
{
    /// <summary>Parses the file's text; garbage gives an error that says what is wrong, never a partial result.</summary>
    public static EvaluatorMetrics Parse(string json)
    {
        using (var document = ContractJson.Parse(json, "metrics.json"))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException("metrics.json must be an object {\"step\": N, \"metrics\": {...}}");
            long? step = null;
            if (root.TryGetProperty("step", out var stepElement) && stepElement.ValueKind != JsonValueKind.Null)
            {
                if (!stepElement.TryGetInt64(out var s) || s < 0)
                    throw new FormatException($"metrics.json: step must be a non-negative integer, not {stepElement.GetRawText()}");
                step = s;
            }
            if (!root.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
                throw new FormatException("metrics.json: \"metrics\" must be an object of name → number");
            var values = new List<KeyValuePair<string, double>>();
            foreach (var property in metrics.EnumerateObject())
            {
                if (string.IsNullOrWhiteSpace(property.Name) || property.Name.Length > 200)
                    throw new FormatException("metrics.json: a metric name is empty or longer than 200 characters");
                values.Add(new(property.Name, Value(property)));
            }
            if (values.Count == 0)
                throw new FormatException("metrics.json: \"metrics\" is empty");
            return new EvaluatorMetrics(step, values);
        }
    }

    private static double Value(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.Number => property.Value.GetDouble(),
        JsonValueKind.String when property.Value.GetString() is "NaN" => double.NaN,
        JsonValueKind.String when property.Value.GetString() is "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when property.Value.GetString() is "-Infinity" => double.NegativeInfinity,
        _ => throw new FormatException($"metrics.json: {property.Name} is {property.Value.GetRawText()}, not a number"),
    };
}
