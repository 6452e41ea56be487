namespace Dashboard.Core.Tests;

/// <summary>A fact over a file of the user's shared data (../shared/data from the repository), skipped where the file is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string fileName)
    {
        if (!File.Exists(PathOf(fileName)))
            Skip = $"{fileName} is not in ../shared/data";
    }

    public static string PathOf(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            directory = directory.Parent;
        return directory is null ? fileName : Path.Combine(directory.FullName, "..", "shared", "data", fileName);
    }
}
