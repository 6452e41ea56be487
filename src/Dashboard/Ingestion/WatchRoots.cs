using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Ingestion;

/// <summary>The watch roots as full paths (created when missing), and the data folder kept out of them.</summary>
public sealed class WatchRoots
{
    private readonly string _dataFolder;

    public WatchRoots(IOptions<DashboardOptions> options)
    {
        _dataFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Value.Data)) + Path.DirectorySeparatorChar;
        Paths = [.. options.Value.Watch.Roots.Select(r => Path.GetFullPath(r)).Distinct(StringComparer.Ordinal)];
        foreach (var root in Paths)
            Directory.CreateDirectory(root);
    }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// A file or folder under a root whose name starts with a dot (editor swap files, <c>.git</c>,
    /// <c>.ipynb_checkpoints</c>) is never a log: the one rule for change events and the periodic scan,
    /// which on Linux skips such names as hidden.
    /// </summary>
    public bool IsHidden(string fullPath)
    {
        foreach (var root in Paths)
        {
            if (fullPath.Length > root.Length && fullPath.StartsWith(root, StringComparison.Ordinal) && fullPath[root.Length] == Path.DirectorySeparatorChar)
                return fullPath.AsSpan(root.Length).Contains($"{Path.DirectorySeparatorChar}.", StringComparison.Ordinal);
        }
        return Path.GetFileName(fullPath.AsSpan()).StartsWith('.');
    }

    /// <summary>
    /// Whether a file under a root really lies elsewhere: a log that is a link (or sits in a linked folder)
    /// leading out of every watch root would make the service read, and show, any file of the machine.
    /// </summary>
    public bool LeadsOutside(string fullPath)
    {
        if (RealPath.Resolve(fullPath) is not { } real)
            return true;
        return !Paths.Any(root => RealPath.Resolve(root) is { } realRoot && real.Length > realRoot.Length && RealPath.IsSameOrBelow(realRoot, real))
            || IsOwnedByService(real);
    }

    /// <summary>The service's own files (the store, job outputs) are never read as logs.</summary>
    public bool IsOwnedByService(string fullPath) => fullPath.StartsWith(_dataFolder, StringComparison.Ordinal);
}
