namespace Dashboard.Configuration;

public sealed class WatchOptions
{
    /// <summary>Folders searched recursively for logs: a file is a run, its parent folder the project.</summary>
    public List<string> Roots { get; set; } = [];

    public List<string> Patterns { get; set; } = [];

    /// <summary>Names that are never logs although a pattern matches: rotated and compressed copies (globs: *, ?, [0-9]).</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>Fallback scan for filesystems where change events never arrive (NFS, SMB, FUSE).</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>A running run with no new data for this long is shown as stalled.</summary>
    public int StalledAfterSeconds { get; set; } = 600;
}
