using Dashboard.Api.Access;
using Dashboard.Configuration;
using Dashboard.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dashboard.Api;

/// <summary>Checkpoints of a run, and evaluation/sampling jobs on them (starting, cancelling and retrying need the API key when one is set).</summary>
public static class JobsEndpoints
{
    /// <summary>Body of <c>POST /api/runs/{id}/jobs</c>: kind evaluate|sample, checkpoint as listed (its path relative to the run's folder, or its file name).</summary>
    public sealed record JobRequest(string? Kind, string? Checkpoint);

    public sealed record JobAccepted(long Id, string Url);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Jobs");
        runs.MapGet("/{id:long}/checkpoints", ListCheckpoints).WithSummary("The run's checkpoints: path, step when known, size, time and the jobs that ran on each.");
        runs.MapGet("/{id:long}/jobs", ListRunJobs).WithSummary("The run's jobs, newest first.");
        runs.MapPost("/{id:long}/jobs", StartJob).RequiresWriteAccess()
            .WithSummary("Queues an evaluate or sample job on one of the run's checkpoints; 202 with the job id.");

        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListJobs).WithSummary("The latest jobs of every run, newest first.");
        jobs.MapGet("/{id:long}", GetJob).WithSummary("One job: status, progress, slot, exit code, reason, last lines of output, results.");
        jobs.MapPost("/{id:long}/cancel", CancelJob).RequiresWriteAccess().WithSummary("Cancels a queued job or kills a running one.");
        jobs.MapPost("/{id:long}/retry", RetryJob).RequiresWriteAccess().WithSummary("Queues a failed or cancelled job again, as a new job.");
        jobs.MapGet("/{id:long}/files/{name}", GetFile).WithSummary("An image the job wrote (PNG, by plain file name, kept in the store).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CheckpointView>>, ProblemHttpResult>> ListCheckpoints(long id, CheckpointReader reader, CancellationToken cancellationToken) =>
        await reader.ListAsync(id, cancellationToken) is { } list ? TypedResults.Ok(list) : ApiProblems.RunNotFound(id);

    private static async Task<Ok<IReadOnlyList<JobView>>> ListRunJobs(long id, JobReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ListAsync(id, cancellationToken));

    private static async Task<Ok<IReadOnlyList<JobView>>> ListJobs(JobReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ListAsync(null, cancellationToken));

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetJob(long id, JobReader reader, CancellationToken cancellationToken) =>
        await reader.GetAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job) : JobNotFound(id);

    private static async Task<Results<Accepted<JobAccepted>, ProblemHttpResult>> StartJob(
        long id, JobRequest request, JobStarter starter, CancellationToken cancellationToken)
    {
        var start = await starter.StartAsync(id, request.Kind, request.Checkpoint, cancellationToken);
        if (start.Job is not { } job)
            return Problem(start.Status, start.Title, start.Detail);
        var url = $"/api/jobs/{job.Id}";
        return TypedResults.Accepted(url, new JobAccepted(job.Id, url));
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> CancelJob(long id, JobActions actions, CancellationToken cancellationToken)
    {
        var result = await actions.CancelAsync(id, cancellationToken);
        return result.Job is { } job ? TypedResults.Ok(job) : Problem(result.Status, result.Title, result.Detail);
    }

    private static async Task<Results<Accepted<JobAccepted>, ProblemHttpResult>> RetryJob(long id, JobActions actions, CancellationToken cancellationToken)
    {
        var result = await actions.RetryAsync(id, cancellationToken);
        if (result.Job is not { } job)
            return Problem(result.Status, result.Title, result.Detail);
        var url = $"/api/jobs/{job.Id}";
        return TypedResults.Accepted(url, new JobAccepted(job.Id, url));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFile(long id, string name, JobImages images, CancellationToken cancellationToken) =>
        await images.ReadAsync(id, name, cancellationToken) is { } bytes
            ? TypedResults.File(bytes, "image/png")
            : Problem(StatusCodes.Status404NotFound, "File not found", $"Job {id} has no image '{name}'.");

    private static ProblemHttpResult JobNotFound(long id) => Problem(StatusCodes.Status404NotFound, "Job not found", $"There is no job {id}.");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
