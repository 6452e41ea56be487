namespace Dashboard.Storage;

/// <summary>
/// Which runs belong to one training. A trainer's stdout goes where it was started (<c>exp/train.log</c>) and its
/// loggers write below that folder (<c>exp/logs/tb/version_0/</c>, <c>exp/out/runs/Dec05_host/</c>): a run whose
/// folder lies below another run's folder is related to it, both ways. Runs in one folder are not: a folder of
/// dated logs holds one session each.
/// </summary>
public static class RelatedRuns
{
    /// <summary>At most this many are listed: a log at the top of a watch root is above every run in it.</summary>
    public const int MaxListed = 20;

    public static bool AreRelated(string sourceA, string sourceB)
    {
        var a = Folder(sourceA);
        var b = Folder(sourceB);
        return a.Length != b.Length && (IsBelow(b, a) || IsBelow(a, b));
    }

    public static string Folder(string source) => Path.GetDirectoryName(source) ?? "";

    /// <summary>The folders above <paramref name="folder"/>, nearest first (what a run in one of them is above).</summary>
    public static IEnumerable<string> Ancestors(string folder)
    {
        for (var above = Path.GetDirectoryName(folder); !string.IsNullOrEmpty(above); above = Path.GetDirectoryName(above))
            yield return above;
    }

    private static bool IsBelow(string folder, string ancestor) =>
        ancestor.Length > 0 && folder.Length > ancestor.Length
        && folder.StartsWith(ancestor, StringComparison.Ordinal) && folder[ancestor.Length] == Path.DirectorySeparatorChar;
}
