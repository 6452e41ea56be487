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
}
