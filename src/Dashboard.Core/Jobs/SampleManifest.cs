using System.Text.Json;

namespace Dashboard.Core.Jobs;

/// <summary>One sample of a sampling or evaluation job: its images, by file name in the job's output folder.</summary>
public sealed record SamplePair(string Name, string? GroundTruth, string Generated, string? Difference);

/// <summary>
/// The optional <c>manifest.json</c> beside the images:
/// <c>{"samples": [{"name": "0", "ground_truth": "0_gt.png", "generated": "0_gen.png", "difference": "0_diff.png"}]}</c>.
/// Without one, every PNG is a sample of its own. Names must be plain PNG file names of the folder.
/// </summary>
public static class SampleManifest
{
    public static IReadOnlyList<SamplePair> Parse(string json, IReadOnlyCollection<string> images)
    {
        using (var document = ContractJson.Parse(json, "manifest.json"))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("samples", out var samples) || samples.ValueKind != JsonValueKind.Array)
                throw new FormatException("manifest.json must be an object with a \"samples\" array");
            var pairs = new List<SamplePair>();
            foreach (var sample in samples.EnumerateArray())
            {
                if (sample.ValueKind != JsonValueKind.Object)
                    throw new FormatException("manifest.json: each sample must be an object");
                var generated = Image(sample, "generated", images) ?? throw new FormatException("manifest.json: a sample has no \"generated\" image");
                var name = sample.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileNameWithoutExtension(generated);
                pairs.Add(new SamplePair(name, Image(sample, "ground_truth", images), generated, Image(sample, "difference", images)));
            }
            return pairs;
        }
    }

    /// <summary>Every image on its own, in name order, when there is no manifest.</summary>
    public static IReadOnlyList<SamplePair> FromImages(IEnumerable<string> images) =>
        [.. images.Order(StringComparer.Ordinal).Select(i => new SamplePair(Path.GetFileNameWithoutExtension(i), null, i, null))];

    /// <summary>A plain file name (no folder, no "..") ending in .png.</summary>
    public static bool IsSafeImageName(string name) =>
        name.Length is > 4 and <= 255 && name == Path.GetFileName(name) && !name.Contains('\\') && !name.StartsWith('.')
        && name.EndsWith(".png", StringComparison.OrdinalIgnoreCase);

    private static string? Image(JsonElement sample, string property, IReadOnlyCollection<string> images)
    {
        if (!sample.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        var name = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"manifest.json: \"{property}\" must be a file name");
        if (!IsSafeImageName(name))
            throw new FormatException($"manifest.json: \"{name}\" is not a PNG file name of the output folder");
        if (!images.Contains(name, StringComparer.Ordinal))
            throw new FormatException($"manifest.json: {name} was not written");
        return name;
    }
}
