using System.Text.Json.Nodes;
using Dashboard.Core.Configuration;

namespace Dashboard.Ingestion;

/// <summary>Reads the configuration files a run left in its log's folder (config.yaml, hparams.yaml, args.json, ...).</summary>
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
                if (!RunConfigFiles.IsConfigFileName(file.Name) || file.Length > RunConfigFiles.MaxContentChars)
                    continue;
                files.Add(new(file.Name, File.ReadAllText(file.FullName)));
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "Could not read the configuration files beside {Path}", logPath);
        }
        return RunConfigFiles.Combine(files);
    }

    /// <summary>
    /// The config files a log names, read only when they are in the log's own folder (or below it):
    /// a log line must not make the service read, and show, files elsewhere on the machine.
    /// </summary>
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
                var file = new FileInfo(path);
                if (file.Exists && file.Length <= RunConfigFiles.MaxContentChars)
                    files.Add(new(file.Name, File.ReadAllText(file.FullName)));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(error, "Could not read {Config}, named in {Path}", path, logPath);
            }
        }
        return RunConfigFiles.Combine(files);
    }
}
