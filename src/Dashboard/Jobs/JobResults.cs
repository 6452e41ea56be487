using System.Text.Json;
using Dashboard.Core.Jobs;

namespace Dashboard.Jobs;

/// <summary>What a finished evaluator left in its output folder: metrics.json, *.png and manifest.json (the contract in README).</summary>
/// <param name="Images">The PNG files' plain names, checked to be PNG images.</param>
public sealed record JobResults(EvaluatorMetrics? Metrics, IReadOnlyList<SamplePair> Samples, IReadOnlyList<string> Images)
{
    private const int MaxImages = 500;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the folder; anything malformed throws <see cref="FormatException"/> with the reason.</summary>
    public static JobResults Read(JobKind kind, string folder)
    {
        var images = Directory.EnumerateFiles(folder, "*.png").Select(Path.GetFileName).OfType<string>()
            .Where(SampleManifest.IsSafeImageName).Order(StringComparer.Ordinal).ToList();
        if (images.Count > MaxImages)
            throw new FormatException($"wrote {images.Count} images; at most {MaxImages} are kept");
        foreach (var image in images)
        {
            if (!IsPng(Path.Combine(folder, image)))
                throw new FormatException($"{image} is not a PNG image");
        }
        var metricsPath = Path.Combine(folder, "metrics.json");
        EvaluatorMetrics? metrics = null;
        if (File.Exists(metricsPath))
            metrics = EvaluatorMetrics.Parse(File.ReadAllText(metricsPath));
        else if (kind == JobKind.Evaluate)
            throw new FormatException("wrote no metrics.json");
        var manifestPath = Path.Combine(folder, "manifest.json");
        var samples = File.Exists(manifestPath) ? SampleManifest.Parse(File.ReadAllText(manifestPath), images) : SampleManifest.FromImages(images);
        if (kind == JobKind.Sample && samples.Count == 0)
            throw new FormatException("wrote no images");
        return new JobResults(metrics, samples, images);
    }

    public string? MetricsJson() => Metrics is null ? null
        : JsonSerializer.Serialize(Metrics.Metrics.ToDictionary(m => m.Key, m => m.Value), JobJson.Options);

    public string SamplesJson() => JsonSerializer.Serialize(Samples, JobJson.Options);

    private static bool IsPng(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(PngSignature);
    }
}
