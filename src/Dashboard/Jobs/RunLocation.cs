using Dashboard.Agent;

namespace Dashboard.Jobs;

/// <summary>
/// Where a run's log lives, read from its stored source: a full path on this machine (a watch folder of
/// this instance), or <c>NODE:/path</c> on a training node whose agent shipped it. A run that came through
/// <c>POST /api/ingest</c> (<c>remote:project/run</c>) has none.
/// </summary>
/// <param name="Node">The training node, or null for this machine.</param>
/// <param name="LogPath">The log's full path on that machine.</param>
public sealed record RunLocation(string? Node, string LogPath)
{
    public static RunLocation? Of(string source)
    {
        if (Path.IsPathFullyQualified(source))
            return new RunLocation(null, source);
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && AgentBatch.IsNodeName(source[..colon]) && source.AsSpan(colon + 1).StartsWith("/")
            ? new RunLocation(source[..colon], source[(colon + 1)..])
            : null;
    }

    /// <summary>
    /// Whether the log is under a folder of a Jobs:Auto policy: a folder of this machine (relative to where the
    /// service started, or full), or <c>NODE:/folder</c> on a training node, as its agent watches it.
    /// </summary>
    public bool IsUnder(string root)
    {
        (string? node, string folder) = Of(root) is { Node: { } rootNode } onNode ? (rootNode, onNode.LogPath) : (null, Path.GetFullPath(root));
        return node == Node && LogPath.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The run's folder on its machine, or null for a log at the file system's root.</summary>
    public string? Folder => Path.GetDirectoryName(LogPath);
}
