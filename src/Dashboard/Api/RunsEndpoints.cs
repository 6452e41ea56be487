using Dashboard.Core.Records;
using Dashboard.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>The read side of HTTP API v1.</summary>
public static class RunsEndpoints
{
    public const int MaxPointsLimit = 100_000;

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapGet("/", ListRuns)
            .WithSummary("A page of runs (limit, offset, sort, q, project, status, tag, alerts, from, to), most recently updated first; X-Total-Count has how many match.");
        runs.MapGet("/{id:long}", GetRun).WithSummary("A run with its configuration and a summary of every metric.");
        runs.MapGet("/{id:long}/metrics", GetMetrics).WithSummary("Count, first, last, min and max of every metric of a run.");
        runs.MapGet("/{id:long}/metrics/{*key}", GetSeries)
            .WithSummary("Points of one metric as [step, value, unixMs], between fromStep and toStep when given; with maxPoints, downsampled keeping each bucket's first, min, max, last and NaN.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<RunSummary>>, ProblemHttpResult>> ListRuns(HttpContext http, IRunReader reader, CancellationToken cancellationToken)
    {
        var (query, problem) = RunListParameters.Parse(http.Request.Query);
        if (query is null)
            return TypedResults.Problem(title: "Invalid run list query", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        var page = await reader.QueryRunsAsync(query, cancellationToken);
        // The body stays an array, so scripts written for the unpaged list keep working.
        http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(page.Runs);
    }

    private static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> GetRun(long id, IRunReader reader, CancellationToken cancellationToken) =>
        await reader.GetRunAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(run with { Related = await reader.GetRelatedAsync(run.Run, cancellationToken) })
            : ApiProblems.RunNotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<MetricSummary>>, ProblemHttpResult>> GetMetrics(long id, IRunReader reader, CancellationToken cancellationToken) =>
        await reader.GetRunAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run.Metrics) : ApiProblems.RunNotFound(id);

    private static async Task<Results<Ok<MetricSeries>, ProblemHttpResult>> GetSeries(
        long id, string key, int? maxPoints, long? fromStep, long? toStep, IRunReader reader, CancellationToken cancellationToken)
    {
        if (maxPoints is < 1 or > MaxPointsLimit)
            return TypedResults.Problem(
                title: "Invalid maxPoints",
                detail: $"maxPoints must be between 1 and {MaxPointsLimit}; it was {maxPoints}.",
                statusCode: StatusCodes.Status400BadRequest);
        var steps = new StepRange(fromStep ?? long.MinValue, toStep ?? long.MaxValue);
        if (steps.To < steps.From)
            return TypedResults.Problem(
                title: "Invalid step range",
                detail: $"toStep ({toStep}) must not be below fromStep ({fromStep}).",
                statusCode: StatusCodes.Status400BadRequest);
        // Keys such as train/total_loss arrive encoded (train%2Ftotal_loss); the router leaves %2F as is.
        var metricKey = Uri.UnescapeDataString(key);
        var series = await reader.GetSeriesAsync(id, metricKey, steps, maxPoints, cancellationToken);
        if (series is not null)
            return TypedResults.Ok(series);
        return await reader.GetRunAsync(id, cancellationToken) is null
            ? ApiProblems.RunNotFound(id)
            : TypedResults.Problem(title: "Metric not found", detail: $"Run {id} has no metric '{metricKey}'.", statusCode: StatusCodes.Status404NotFound);
    }
}
