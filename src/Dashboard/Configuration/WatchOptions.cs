namespace Dashboard.Configuration;

public sealed class WatchOptions
{
    /// <summary>Folders searched recursively for logs: a file is a run, its parent folder the project.</summary>
    public List<string> Roots { get; set; } = [];

    public List<string> Patterns { get; set; } = [];

    /// <summary>Fallback scan for filesystems where change events never arrive (NFS, SMB, FUSE).</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>A running run with no new data for this long is shown as stalled.</summary>
    public int StalledAfterSeconds { get; set; } = 600;
}
