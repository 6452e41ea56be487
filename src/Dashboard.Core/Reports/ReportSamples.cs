using Dashboard.Core.Jobs;

namespace Dashboard.Core.Reports;

/// <summary>A run's job that wrote samples: what <see cref="ReportSamples.Freeze"/> chooses from.</summary>
public sealed record SampleJob(long JobId, long? Step, string Checkpoint, IReadOnlyList<SamplePair> Pairs);

/// <summary>An image copied into the report's own storage, under its report-wide name.</summary>
public sealed record FrozenFile(string Name, byte[] Bytes);

/// <summary>The samples a report shows: early and late in training, and what was left out and why.</summary>
public sealed record SampleSection(IReadOnlyList<SampleSet> Sets, IReadOnlyList<string> Notes);

/// <summary>The samples of one job: <see cref="Label"/> is early, late or only.</summary>
public sealed record SampleSet(string Label, long JobId, long? Step, string Checkpoint, IReadOnlyList<ReportSample> Samples);

public sealed record ReportSample(string Name, IReadOnlyList<SampleImage> Images);

/// <summary>One image of a sample; <see cref="File"/> is its name under the report's samples/ address.</summary>
public sealed record SampleImage(string Label, string File, string Url);

/// <summary>
/// Chooses a run's samples for a report and freezes them: the earliest and the latest job by step,
/// a few samples each, their images copied so the report outlives the jobs' folders.
/// </summary>
public static class ReportSamples
{
    public const int SamplesPerSet = 4;
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    /// <param name="readImage">The bytes of a job's image, or null when it cannot be read from the job's own folder.</param>
    /// <param name="maxBytes">What the images may take in all; samples beyond it are left out and said so.</param>
    /// <param name="filesUrl">The address the frozen files are served under, ending in '/'.</param>
    public static (SampleSection? Section, IReadOnlyList<FrozenFile> Files) Freeze(
        IReadOnlyList<SampleJob> jobs, Func<long, string, byte[]?> readImage, long maxBytes, string filesUrl)
    {
        var withSamples = jobs.Where(j => j.Pairs.Count > 0)
            .OrderBy(j => j.Step ?? long.MinValue).ThenBy(j => j.JobId).ToList();
        if (withSamples.Count == 0)
            return (null, []);

        List<(string Label, SampleJob Job)> chosen = withSamples.Count == 1
            ? [("only", withSamples[0])]
            : [("early", withSamples[0]), ("late", withSamples[^1])];
        var notes = new List<string>();
        var files = new List<FrozenFile>();
        var left = maxBytes;
        var overBudget = 0;
        var sets = new List<SampleSet>();
        foreach (var (label, job) in chosen)
        {
            var samples = new List<ReportSample>();
            foreach (var pair in job.Pairs)
            {
                if (samples.Count == SamplesPerSet)
                    break;
                if (Images(pair).Select(i => i.Name).FirstOrDefault(n => !SampleManifest.IsSafeImageName(n)) is { } unsafeName)
                {
                    notes.Add($"Sample {pair.Name} of job {job.JobId} refused: \"{unsafeName}\" is not a plain PNG file name.");
                    continue;
                }
                var read = Images(pair).Select(i => (i.Label, i.Name, Bytes: readImage(job.JobId, i.Name))).ToList();
                if (read.Where(i => i.Bytes is null).Select(i => i.Name).FirstOrDefault() is { } missing)
                {
                    notes.Add($"Sample {pair.Name} of job {job.JobId} left out: {missing} could not be read from the job's output folder.");
                    continue;
                }
                var size = read.Sum(i => (long)i.Bytes!.Length);
                if (size > left)
                {
                    overBudget++;
                    continue;
                }
                left -= size;
                var images = new List<SampleImage>();
                foreach (var (imageLabel, name, bytes) in read)
                {
                    var file = FileName(job.JobId, name);
                    files.Add(new FrozenFile(file, bytes!));
                    images.Add(new SampleImage(imageLabel, file, filesUrl + Uri.EscapeDataString(file)));
                }
                samples.Add(new ReportSample(pair.Name, images));
            }
            sets.Add(new SampleSet(label, job.JobId, job.Step, job.Checkpoint, samples));
        }
        if (overBudget > 0)
            notes.Add($"{overBudget} sample(s) left out: a report keeps at most {(maxBytes / 1048576.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} MB of images.");
        return (new SampleSection(sets, notes), files);
    }

    /// <summary>Unique in the report: two jobs both write 0_gen.png.</summary>
    public static string FileName(long jobId, string image) => $"job{jobId}-{image}";

    private static IEnumerable<(string Label, string Name)> Images(SamplePair pair)
    {
        if (pair.GroundTruth is { } truth)
            yield return ("ground truth", truth);
        yield return ("generated", pair.Generated);
        if (pair.Difference is { } difference)
            yield return ("difference", difference);
    }
}
