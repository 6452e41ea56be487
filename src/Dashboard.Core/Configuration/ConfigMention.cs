namespace Dashboard.Core.Configuration;

/// <summary>
/// Finds the YAML file a log line names (<c>--config configs/s4gan.yaml</c>, <c>--cfg=exp.yml</c>,
/// <c>Loaded config from 'x.yml'.</c>, <c>config_file: configs/a.yaml</c>), so the host can read it
/// relative to the log. Only the name is returned, as written; nothing is read here.
/// </summary>
public static class ConfigMention
{
    private const int MaxPathChars = 1024;

    private static readonly char[] Separators = [' ', '\t', '=', '"', '\'', '`', ',', ';', '(', ')', '[', ']', '{', '}', '<', '>'];

    /// <summary>The first .yaml/.yml path in the line, or null. URLs are no file beside the log.</summary>
    public static string? FindYaml(string? line)
    {
        if (string.IsNullOrEmpty(line) || line.IndexOf(".y", StringComparison.OrdinalIgnoreCase) < 0)
            return null;
        foreach (var raw in line.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            // "config from x.yml." / "using a.yaml:" — sentence punctuation after the name.
            var token = raw.TrimEnd('.', ':', '!', '?');
            if (token.Length is < 5 or > MaxPathChars || token.Contains("://", StringComparison.Ordinal))
                continue;
            if (!token.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !token.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                continue;
            var name = Path.GetFileNameWithoutExtension(token);
            if (name.Length == 0 || token.AsSpan().IndexOfAny("\0*?|") >= 0)
                continue;
            return token;
        }
        return null;
    }
}
