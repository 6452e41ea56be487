using System.Text.Json;
using Dashboard.Api.Access;
using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>
/// The write side of HTTP API v1: remote ingest. The access guard has checked the key, the content
/// type and the declared size before the body is read here; the body is then parsed as it streams
/// in, within <see cref="ProtectedEndpoints.IngestBody"/>, and every field is checked before anything
/// reaches the writer.
/// </summary>
public static class IngestEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxItems = 100_000;
    public const int MaxLineLength = 256 * 1024;

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/ingest", Ingest)
            .RequiresWriteAccess(ProtectedEndpoints.IngestBody)
            .Accepts<IngestRequest>("application/json")
            .Produces<IngestResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithTags("Ingest")
            .WithSummary("Log lines (parsed like a watched file) or points for one run, named by project and run.");
        return app;
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> Ingest(
        HttpContext http, RemoteIngest ingest, TimeProvider clock, CancellationToken cancellationToken)
    {
        IngestRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<IngestRequest>(http.Request.Body, WireFormat.Options, cancellationToken);
        }
        catch (JsonException error)
        {
            return Invalid($"{FieldOf(error.Path)}: {error.Message}");
        }
        if (request is null)
            return Invalid("The body must be a JSON object {project, run, lines?, points?}.");
        var errors = Validate(request);
        if (errors.Count > 0)
            return Invalid(string.Join(" ", errors));

        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var points = (request.Points ?? []).Select(p => new MetricPoint(p.Key!.Trim(), p.Step, p.Value, p.UnixMs ?? nowMs)).ToList();
        try
        {
            var (runId, accepted, events) = await ingest.IngestAsync(
                RemoteIngest.Identity(request.Project!.Trim(), request.Run!.Trim()), request.Lines ?? [], points, cancellationToken);
            return TypedResults.Ok(new IngestResult(runId, accepted, events));
        }
        catch (WriterBusyException busy)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(title: "Store busy", detail: busy.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (BatchQuarantinedException aside)
        {
            return TypedResults.Problem(title: "Batch set aside", detail: aside.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid ingest request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>System.Text.Json's path (<c>$.points[3].value</c>) as the field a person would name.</summary>
    private static string FieldOf(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

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
        for (var i = 0; i < lines && errors.Count < 10; i++)
        {
            if (request.Lines![i] is null)
                errors.Add($"lines[{i}]: may not be null.");
            else if (request.Lines[i].Length > MaxLineLength)
                errors.Add($"lines[{i}]: longer than {MaxLineLength} characters.");
        }
        for (var i = 0; i < points && errors.Count < 10; i++)
            CheckPoint(request.Points![i], $"points[{i}]", errors);
        return errors;
    }

    private static void CheckPoint(IngestPoint point, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(point.Key) || point.Key.Length > MaxNameLength || point.Key.Any(char.IsControl))
            errors.Add($"{field}.key: needs 1 to {MaxNameLength} characters without control characters.");
        if (!PointBounds.IsValidStep(point.Step))
            errors.Add($"{field}.step: {point.Step} is outside {PointBounds.MinStep}..{PointBounds.MaxStep}.");
        if (point.UnixMs is { } ms && !PointBounds.IsValidUnixMs(ms))
            errors.Add($"{field}.unixMs: {ms} is outside {PointBounds.MinUnixMs}..{PointBounds.MaxUnixMs} (2000-01-01 to 2100-01-01 UTC).");
    }

    internal static void CheckName(string? name, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
            errors.Add($"'{field}' must be 1 to {MaxNameLength} characters without control characters.");
    }
}
