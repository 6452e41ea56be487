namespace Dashboard.Jobs;

/// <summary>The job a cancel or retry left (the retry's new job), or why there is none: an HTTP status with a problem's title and detail.</summary>
public sealed record JobActionResult(JobView? Job, int Status, string Title, string Detail)
{
    public static JobActionResult Done(JobView job) => new(job, StatusCodes.Status200OK, "", "");

    public static JobActionResult Refused(int status, string title, string detail) => new(null, status, title, detail);
}
