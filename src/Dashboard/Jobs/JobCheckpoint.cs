namespace Dashboard.Jobs;

/// <summary>
/// The checkpoint a job row names, as the API shows it. New rows hold the path relative to the run's
/// folder; rows from before held the full path, which is shown relative too (or by file name when the
/// run's folder is not known), so no answer carries a host path.
/// </summary>
public static class JobCheckpoint
{
    public static string Shown(string? runSource, string stored)
    {
        if (!Path.IsPathFullyQualified(stored))
            return stored;
        if (runSource is not null && RunCheckpoint.RunFolder(runSource) is { } folder)
        {
            var relative = Path.GetRelativePath(folder, stored);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
                return relative;
        }
        return Path.GetFileName(stored);
    }
}
