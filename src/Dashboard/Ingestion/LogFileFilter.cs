using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Configuration;

namespace Dashboard.Ingestion;

/// <summary>
/// Which files are logs: the name matches one of <c>Watch:Patterns</c> and none of <c>Watch:Exclude</c>
/// (by default rotated or compressed copies such as <c>x.log.1</c>, <c>x.log.2.gz</c>, <c>x.log-20251122</c>,
/// which hold lines already read from <c>x.log</c> and must never become runs of their own).
/// Patterns are globs over the file name: <c>*</c>, <c>?</c> and classes such as <c>[0-9]</c>.
/// </summary>
public sealed class LogFileFilter
{
    private readonly Regex[] _include;
    private readonly Regex[] _exclude;

    public LogFileFilter(WatchOptions watch)
    {
        _include = [.. watch.Patterns.Select(ToRegex)];
        _exclude = [.. watch.Exclude.Select(ToRegex)];
    }

    public bool IsLog(ReadOnlySpan<char> fileName)
    {
        var included = false;
        foreach (var pattern in _include)
        {
            if (pattern.IsMatch(fileName))
            {
                included = true;
                break;
            }
        }
        if (!included)
            return false;
        foreach (var pattern in _exclude)
        {
            if (pattern.IsMatch(fileName))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Every log under a folder, recursively; inaccessible folders and hidden names (a leading dot, as
    /// the watcher's rule) are skipped.
    /// </summary>
    public IEnumerable<FileInfo> Enumerate(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
            .Where(f => IsLog(f.Name));

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    pattern.Append(".*");
                    break;
                case '?':
                    pattern.Append('.');
                    break;
                case '[' when glob.IndexOf(']', i + 1) is var end and > 0:
                    var set = glob[(i + 1)..end];
                    pattern.Append('[').Append(set.StartsWith('!') ? "^" + Escape(set[1..]) : Escape(set)).Append(']');
                    i = end;
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.IgnoreCase);

        static string Escape(string set) => set.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("^", @"\^", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal);
    }
}
