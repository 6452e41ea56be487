using Dashboard.Configuration;
using Dashboard.Core.Jobs;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// Where jobs write: <c>{Data}/jobs/{id}</c>, a folder the service owns. Files are served from there
/// only, by plain PNG name: no other folder, no "..", no link leading out.
/// </summary>
public sealed class JobFolders(IOptions<DashboardOptions> options)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(options.Value.Data), "jobs");

    public string Output(long jobId) => Path.Combine(Root, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The full path of an image a job wrote, or null when the name is not one.</summary>
    public string? Image(long jobId, string name)
    {
        if (!SampleManifest.IsSafeImageName(name))
            return null;
        var folder = Output(jobId);
        var path = Path.GetFullPath(Path.Combine(folder, name));
        if (!string.Equals(Path.GetDirectoryName(path), folder, StringComparison.Ordinal))
            return null;
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null ? path : null;
    }
}
