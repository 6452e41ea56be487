using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>The write side of HTTP API v1: remote ingest. Needs the API key when one is configured.</summary>
public static class IngestEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxItems = 100_000;

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/ingest", Ingest)
            .AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Ingest")
            .WithSummary("Log lines (parsed like a watched file) or points for one run, named by project and run.");
        return app;
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> Ingest(
        IngestRequest request, RemoteIngest ingest, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
            return TypedResults.Problem(title: "Invalid ingest request", detail: string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest);

        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var points = (request.Points ?? []).Select(p => new MetricPoint(p.Key!.Trim(), p.Step, p.Value, p.UnixMs ?? nowMs)).ToList();
        var (runId, accepted, events) = await ingest.IngestAsync(
            RemoteIngest.Identity(request.Project!.Trim(), request.Run!.Trim()), request.Lines ?? [], points, cancellationToken);
        return TypedResults.Ok(new IngestResult(runId, accepted, events));
    }

    private static List<string> Validate(IngestRequest request)
    {
        var errors = new List<string>();
        CheckName(request.Project, "project", errors);
        CheckName(request.Run, "run", errors);
        var lines = request.Lines?.Count ?? 0;
        var points = request.Points?.Count ?? 0;
        if (lines + points == 0)
            errors.Add("Send 'lines' (log lines) or 'points' ({key, step, value, unixMs?}).");
        if (lines + points > MaxItems)
            errors.Add($"At most {MaxItems} lines and points per request; split the upload.");
        if (request.Lines?.Any(l => l is null) == true)
            errors.Add("'lines' may not contain null.");
        if (request.Points?.Any(p => string.IsNullOrWhiteSpace(p.Key) || p.Key.Length > MaxNameLength) == true)
            errors.Add($"Every point needs a 'key' of 1 to {MaxNameLength} characters.");
        return errors;
    }

    private static void CheckName(string? name, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
            errors.Add($"'{field}' must be 1 to {MaxNameLength} characters without control characters.");
    }
}
