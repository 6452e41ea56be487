using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs;

/// <summary>
/// Where jobs write: <c>{Data}/jobs/{id}</c>, a folder the service (or worker) owns. What is kept of it
/// (metrics, images) goes into the store when the job ends; nothing is served from it.
/// </summary>
public sealed class JobFolders(IOptions<DashboardOptions> options)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(options.Value.Data), "jobs");

    public string Output(long jobId) => Path.Combine(Root, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
