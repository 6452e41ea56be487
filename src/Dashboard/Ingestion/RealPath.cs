namespace Dashboard.Ingestion;

/// <summary>
/// Where a path really leads, with every symbolic link resolved (a linked folder anywhere in it as well
/// as a linked file), the way the kernel would walk it: a "..", even after a link, steps out of the
/// folder the link led to, not out of the link's own folder. A containment check on the lexical path
/// alone lets <c>checkpoints -> /</c> or <c>config.yaml -> /etc/shadow</c> through.
/// </summary>
public static class RealPath
{
    /// <summary>Linux's own limit (ELOOP): a cycle of links ends here instead of looping forever.</summary>
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>
    /// The real path of a fully qualified path, or null for a link cycle or a relative path. Components
    /// that do not exist are kept as written: no link can hide below a missing folder.
    /// </summary>
    public static string? Resolve(string path)
    {
        if (!Path.IsPathFullyQualified(path))
            return null;
        var current = Path.GetPathRoot(path)!;
        var pending = new LinkedList<string>(path[current.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries));
        var links = 0;
        var missing = false;
        while (pending.First is { } first)
        {
            var part = first.Value;
            pending.RemoveFirst();
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Join(current, part);
            var target = missing ? null : LinkTarget(next, out missing);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
                return null;
            // The link's target replaces it: a relative target is walked from the link's folder.
            var parts = target.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
                pending.AddFirst(parts[i]);
            if (Path.IsPathRooted(target))
                current = Path.GetPathRoot(target)!;
        }
        return current;
    }

    /// <summary>
    /// The real path of <paramref name="path"/> (relative paths are taken from the folder) when it is the
    /// folder's real path or lies below it; null when it leads anywhere else.
    /// </summary>
    public static string? Within(string folder, string path)
    {
        if (Resolve(folder) is not { } root || Resolve(Path.Combine(folder, path)) is not { } real)
            return null;
        return IsSameOrBelow(root, real) ? real : null;
    }

    public static bool IsSameOrBelow(string folder, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(folder);
        return path.Equals(root, StringComparison.Ordinal)
            || (path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length
                && (path[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar)));
    }

    private static string? LinkTarget(string path, out bool missing)
    {
        FileSystemInfo info = new FileInfo(path);
        missing = false;
        try
        {
            if (info.LinkTarget is { } target)
                return target;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Not even the service can look here, so it cannot read what lies below either.
        }
        missing = !info.Exists && !Directory.Exists(path);
        return null;
    }
}
