namespace Dashboard.Ingestion;

/// <summary>
/// Where records came from: a log file (Key is its full path) or a remote sender, and the run they belong to.
/// </summary>
/// <remarks>
/// The run model, as TensorBoard and the frameworks name runs: a text log is a run of its own (a folder of dated
/// logs holds one run per session), named after the file, its folder the project. An event-file run is its folder
/// (every <c>events.out.tfevents.*</c> in it, a restart's second file included), and so is the folder of
/// Lightning's <c>metrics.csv</c>; it is named <c>parent/folder</c> (<c>lightning_logs/version_0</c>, <c>tb/run1</c>),
/// the folder above that the project. A subfolder with event files of its own under such a run is what
/// SummaryWriter makes for one <c>add_scalars</c> series (<c>run1/acc_train</c>) or one <c>add_hparams</c> call
/// (<c>run1/1796396759.1955094</c>): a series, or the hyperparameters and summary, of the parent run.
/// </remarks>
public sealed record SourceIdentity(string Key, string Name, string Project)
{
    private const string EventFilePrefix = "events.out.tfevents.";

    /// <summary>The folder of an event-file run; null when the source is a run of its own.</summary>
    public string? RunFolder { get; init; }

    /// <summary>The add_scalars subfolder this file was written to (<c>acc_train</c>); its tags become <c>acc/train</c>.</summary>
    public string? Series { get; init; }

    /// <summary>An add_hparams subfolder: its scalars are the run's summary figures, not curves.</summary>
    public bool IsHyperparameters { get; init; }

    /// <summary>What every source of one run shares.</summary>
    public string RunKey => RunFolder ?? Key;

    public static SourceIdentity ForFile(string fullPath)
    {
        var folder = Path.GetDirectoryName(fullPath) ?? "";
        var name = Path.GetFileName(fullPath);
        if (name.StartsWith(EventFilePrefix, StringComparison.Ordinal))
        {
            var parent = Path.GetDirectoryName(folder);
            if (parent is not null && HasEventFiles(parent))
            {
                var subfolder = Path.GetFileName(folder);
                return InFolder(fullPath, parent) with { Series = IsTimestamp(subfolder) ? null : subfolder, IsHyperparameters = IsTimestamp(subfolder) };
            }
            return InFolder(fullPath, folder);
        }
        // Lightning's CSVLogger writes metrics.csv beside hparams.yaml in its version folder.
        if (name == "metrics.csv")
            return InFolder(fullPath, folder);
        return new(fullPath, Path.GetFileNameWithoutExtension(fullPath), Path.GetFileName(folder));
    }

    /// <summary>The key a tag of this source is stored under: add_scalars("acc", {"train": …}) wrote tag "acc" into "acc_train".</summary>
    public string SeriesKey(string tag)
    {
        if (Series is not { } series)
            return tag;
        var stem = tag.Replace('/', '_') + "_";
        return series.StartsWith(stem, StringComparison.Ordinal) && series.Length > stem.Length
            ? $"{tag}/{series[stem.Length..]}"
            : $"{series}/{tag}";
    }

    private static SourceIdentity InFolder(string fullPath, string folder)
    {
        var parent = Path.GetDirectoryName(folder);
        var name = parent is null ? Path.GetFileName(folder) : $"{Path.GetFileName(parent)}/{Path.GetFileName(folder)}";
        return new(fullPath, name, Path.GetFileName(Path.GetDirectoryName(parent)) ?? "") { RunFolder = folder };
    }

    private static bool HasEventFiles(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder, EventFilePrefix + "*").Any();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>add_hparams names its folder after time.time(): "1796396759.1955094".</summary>
    private static bool IsTimestamp(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(name[0]);
}
