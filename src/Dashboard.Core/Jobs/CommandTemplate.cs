using System.Text.RegularExpressions;

namespace Dashboard.Core.Jobs;

/// <summary>
/// A job's command as configured: an argument list whose entries may hold placeholders. Each entry
/// stays one argument after expansion, whatever the values hold (spaces, quotes, <c>$(...)</c>), because
/// the process is started from the list, never through a shell.
/// </summary>
public static partial class CommandTemplate
{
    public const string Checkpoint = "checkpoint";
    public const string Output = "output";
    public const string RunDir = "run_dir";
    public const string Step = "step";
    public const string Config = "config";

    public static readonly IReadOnlyList<string> Placeholders = [Checkpoint, Output, RunDir, Step, Config];

    /// <summary>The placeholder names an entry uses that are not one of <see cref="Placeholders"/>.</summary>
    public static IEnumerable<string> UnknownPlaceholders(IEnumerable<string> template) =>
        template.SelectMany(entry => PlaceholderPattern().Matches(entry).Select(m => m.Groups["name"].Value))
            .Where(name => !Placeholders.Contains(name, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal);

    /// <summary>Replaces every placeholder in every entry; a placeholder without a value becomes empty.</summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> template, IReadOnlyDictionary<string, string> values) =>
        [.. template.Select(entry => PlaceholderPattern().Replace(entry, m => values.GetValueOrDefault(m.Groups["name"].Value, "")))];

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex PlaceholderPattern();
}
