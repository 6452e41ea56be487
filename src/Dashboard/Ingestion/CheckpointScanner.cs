using Dashboard.Core.Jobs;
using Dashboard.Core.Records;
using Dashboard.Storage;

namespace Dashboard.Ingestion;

/// <summary>
/// Turns checkpoint files (<c>*.pt</c>, <c>*.pth</c>, <c>*.ckpt</c>, <c>*.safetensors</c>) that appear in a
/// run's folder, or one folder below it (<c>checkpoints/</c>), into <see cref="RunEventKind.CheckpointSaved"/>
/// events of that run, with the step when the name has one (<c>checkpoint_5000.pth</c>, <c>iter_5000.pth</c>,
/// <c>model-7.pt</c>, <c>epoch=3-step=1500.ckpt</c>). Each file becomes one event once: the events already in
/// the store are read at the first scan. When several logs share a folder, the most recently written one
/// owns its checkpoints.
/// </summary>
public sealed class CheckpointScanner(ISourcePositions files, IBatchSink writer, ILogger logger)
{
    public const string MessagePrefix = "Checkpoint saved: ";

    private static readonly string[] Extensions = [".pt", ".pth", ".ckpt", ".safetensors"];
    private HashSet<string>? _seen;

    public static bool IsCheckpoint(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>The checkpoint's full path from an event's message and its run's log path, or null.</summary>
    public static string? PathFromMessage(string logPath, string message)
    {
        if (!message.StartsWith(MessagePrefix, StringComparison.Ordinal) || !Path.IsPathFullyQualified(logPath) || Path.GetDirectoryName(logPath) is not { } folder)
            return null;
        return Path.GetFullPath(Path.Combine(folder, message[MessagePrefix.Length..]));
    }

    /// <summary>The training step a checkpoint's name tells, or null.</summary>
    public static long? StepFromName(string fileName) => CheckpointStep.Infer(fileName, saveInterval: null).Step;

    /// <summary>
    /// Submits an event for each checkpoint not seen before whose folder (or parent folder) holds a
    /// followed log. Must run where the tailers' own reads cannot interleave (the watcher's gate), since
    /// the events travel with the tailer's offset.
    /// </summary>
    public async Task ScanAsync(IEnumerable<FileInfo> checkpoints, IReadOnlyCollection<FileTailer> tailers, CancellationToken cancellationToken)
    {
        _seen ??= await files.GetRecordedCheckpointsAsync(cancellationToken);
        var byFolder = tailers.GroupBy(t => Path.GetDirectoryName(t.Source.Key) ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var found = new Dictionary<FileTailer, List<RunEvent>>();
        foreach (var checkpoint in checkpoints)
        {
            if (_seen.Contains(checkpoint.FullName))
                continue;
            var folder = checkpoint.DirectoryName ?? "";
            var owner = Owner(byFolder, folder) ?? Owner(byFolder, Path.GetDirectoryName(folder) ?? "");
            if (owner is null)
                continue;
            var relative = Path.GetRelativePath(Path.GetDirectoryName(owner.Source.Key)!, checkpoint.FullName);
            var unixMs = new DateTimeOffset(checkpoint.LastWriteTimeUtc).ToUnixTimeMilliseconds();
            if (!found.TryGetValue(owner, out var events))
                found[owner] = events = [];
            events.Add(new RunEvent(RunEventKind.CheckpointSaved, StepFromName(checkpoint.Name), unixMs, MessagePrefix + relative));
            _seen.Add(checkpoint.FullName);
        }
        foreach (var (tailer, events) in found)
        {
            events.Sort((a, b) => a.UnixMs.CompareTo(b.UnixMs));
            await writer.SubmitAsync(tailer.EventBatch(events, events[^1].UnixMs), cancellationToken);
            logger.LogInformation("{Count} checkpoint(s) of {Path}, latest {Message}", events.Count, tailer.Source.Key, events[^1].Message);
        }
    }

    private static FileTailer? Owner(Dictionary<string, List<FileTailer>> byFolder, string folder)
    {
        if (!byFolder.TryGetValue(folder, out var candidates))
            return null;
        return candidates.Count == 1 ? candidates[0] : candidates.MaxBy(t => File.GetLastWriteTimeUtc(t.Source.Key));
    }
}
