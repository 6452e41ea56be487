namespace Dashboard.Ingestion;

/// <summary>Where records came from: a log file (Key is its full path) or a remote sender.</summary>
public sealed record SourceIdentity(string Key, string Name, string Project)
{
    /// <summary>A file is a run; its parent folder is the project.</summary>
    public static SourceIdentity ForFile(string fullPath) => new(
        fullPath,
        Path.GetFileNameWithoutExtension(fullPath),
        Path.GetFileName(Path.GetDirectoryName(fullPath)) ?? "");
}
