using System.Text.Json.Nodes;
using Dashboard.Core.Configuration;

namespace Dashboard.Ingestion;

/// <summary>
/// Reads the configuration files a run left in its log's folder (config.yaml, hparams.yaml, args.json, ...),
/// and the YAML files a log names. Only files whose real path (every link resolved, a linked folder too)
/// is in the log's folder or below it are read: a <c>config.yaml -> /etc/shadow</c> link, or a log line
/// naming <c>../../secret.yaml</c>, must not make the service read, and show, files elsewhere on the machine.
/// </summary>
public static class ConfigFilesBeside
{
    public static JsonObject? Read(string logPath, ILogger logger)
    {
        var folder = Path.GetDirectoryName(logPath);
        if (folder is null)
            return null;
        var files = new List<KeyValuePair<string, string>>();
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
            {
                if (RunConfigFiles.IsConfigFileName(file.Name) && ReadInside(folder, file.Name) is { } content)
                    files.Add(new(file.Name, content));
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "Could not read the configuration files beside {Path}", logPath);
        }
        return RunConfigFiles.Combine(files);
    }

    public static JsonObject? ReadNamed(string logPath, IEnumerable<string> names, ILogger logger)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(logPath));
        if (folder is null)
            return null;
        var files = new List<KeyValuePair<string, string>>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(folder, name));
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                path = Path.Combine(folder, Path.GetFileName(name));
            try
            {
                if (ReadInside(folder, path) is { } content)
                    files.Add(new(Path.GetFileName(path), content));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(error, "Could not read {Config}, named in {Path}", path, logPath);
            }
        }
        return RunConfigFiles.Combine(files);
    }

    /// <summary>
    /// The file's text when its real path is inside the folder and it is a plain file of a sensible size;
    /// an empty size is skipped too, since a pipe or a device reports 0 and reading one would block the tailer.
    /// </summary>
    private static string? ReadInside(string folder, string path)
    {
        if (RealPath.Within(folder, path) is not { } real)
            return null;
        var file = new FileInfo(real);
        if (!file.Exists || file.Length is 0 or > RunConfigFiles.MaxContentChars)
            return null;
        return File.ReadAllText(real);
    }
}
