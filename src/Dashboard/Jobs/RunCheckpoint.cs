using Dashboard.Ingestion;

namespace Dashboard.Jobs;

/// <summary>
/// A checkpoint file of a run, as the service may list it and hand it to a job: a checkpoint-named file
/// (<c>*.pt</c>, <c>*.pth</c>, <c>*.ckpt</c>, <c>*.safetensors</c>) whose real path (every link resolved) is
/// inside the run's folder tree. A log line or an ingest request can name any path ("Checkpoint saved:
/// ../../etc/shadow", a link to a host file); only this decides what is one.
/// </summary>
/// <param name="Relative">The path relative to the run's folder, as the API shows and accepts it.</param>
/// <param name="FullPath">The real path the evaluator is given (on another node: the path there, links not resolved).</param>
/// <param name="Node">The training node that holds it when that is not this machine: only its worker can check and read it.</param>
public sealed record RunCheckpoint(string Relative, string FullPath, string? Node = null)
{
    /// <summary>
    /// The folder of a run read from a log file, here or on a training node; null for a run that came through
    /// <c>POST /api/ingest</c> (its source is <c>remote:project/run</c>, no folder anywhere), which has no checkpoints.
    /// </summary>
    public static string? RunFolder(string runSource) => RunLocation.Of(runSource)?.Folder;

    /// <summary>
    /// The checkpoint a run's event or a request names (relative to the run's folder, or a full path), or
    /// null when it is no checkpoint of the run. A missing file under the run's folder is still one (it
    /// was deleted after it was saved); <see cref="Exists"/> tells. The file system is only asked when the run's
    /// log is on this machine: a run of <paramref name="thisNode"/> (a worker's own node) is; another node's
    /// checkpoint is checked by name here and by its real path on its node, by the worker that runs the job.
    /// </summary>
    public static RunCheckpoint? Find(string runSource, string named, string? thisNode = null)
    {
        if (RunLocation.Of(runSource) is not { Folder: { } folder } location || named.Length == 0 || named.Contains('\0', StringComparison.Ordinal))
            return null;
        var lexical = Path.GetFullPath(Path.Combine(folder, named));
        var relative = Path.GetRelativePath(folder, lexical);
        if (relative is "." or ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            || !CheckpointScanner.IsCheckpoint(lexical))
            return null;
        if (location.Node is { } node && node != thisNode)
            return new RunCheckpoint(relative, lexical, node);
        if (RealPath.Within(folder, lexical) is not { } real)
            return null;
        return Directory.Exists(real) ? null : new RunCheckpoint(relative, real);
    }

    /// <summary>Whether the file is there now (a folder of that name is not); another node's is taken to be (its worker checks).</summary>
    public bool Exists => Node is not null || File.Exists(FullPath);
}
