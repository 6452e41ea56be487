using Dashboard.Api.Access;
using System.Text;
using System.Text.Json;
using Dashboard.Core.Reports;
using Dashboard.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>
/// Making, listing and revoking reports (API, writes behind the API key), and reading them at
/// /r/{token} without a login: the unguessable token is the capability.
/// </summary>
public static class ReportsEndpoints
{
    public const int MaxComparedRuns = 20;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/runs/{id:long}/reports", CreateForRun).RequiresWriteAccess().WithTags("Reports")
            .WithSummary("Makes a frozen report of a run; answers 201 {token, url}.");
        var reports = app.MapGroup("/api/reports").WithTags("Reports");
        reports.MapGet("/", List).RequiresKeyToRead().WithSummary("Every report, newest first (the API key when one is configured: the list holds every report's token).");
        reports.MapPost("/", CreateComparison).RequiresWriteAccess()
            .WithSummary("Makes a frozen comparison report of two or more runs: body {runs: [id, id, ...]}; answers 201 {token, url}.");
        reports.MapDelete("/{token}", Revoke).RequiresWriteAccess().WithSummary("Revokes a report: all its URLs answer 404 from then on.");

        var read = app.MapGroup("/r").WithTags("Reports").AddEndpointFilter(async (context, next) =>
        {
            Private(context.HttpContext.Response);
            return await next(context);
        });
        read.MapGet("/{token}.json", Json).WithSummary("The report's frozen JSON summary.");
        read.MapGet("/{token}.md", Markdown).WithSummary("The report as Markdown; its charts are SVG images at absolute URLs.");
        read.MapGet("/{token}/points.csv", Csv).WithSummary("Every point of the reported runs when the report was made.");
        read.MapGet("/{token}/charts/{chart}.svg", Chart).WithSummary("One chart of the report as SVG.");
        read.MapGet("/{token}/samples/{name}", Sample).WithSummary("A sample image frozen with the report (PNG).");
        return app;
    }

    /// <summary>A report is readable by whoever has its URL, but is kept out of shared caches and search engines.</summary>
    public static void Private(HttpResponse response)
    {
        response.Headers.CacheControl = "private, no-cache";
        response.Headers["X-Robots-Tag"] = "noindex";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public sealed record CreatedReport(string Token, string Url);

    public sealed record ComparisonRequest(IReadOnlyList<long>? Runs);

    private static async Task<Results<Created<CreatedReport>, ProblemHttpResult>> CreateForRun(long id, HttpContext http, ReportService reports, CancellationToken cancellationToken) =>
        await reports.CreateForRunAsync(id, automatic: false, cancellationToken) is { } report
            ? Created(http, report.Token)
            : ApiProblems.RunNotFound(id);

    private static async Task<Results<Created<CreatedReport>, ProblemHttpResult>> CreateComparison(HttpContext http, ReportService reports, CancellationToken cancellationToken)
    {
        ComparisonRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<ComparisonRequest>(http.Request.Body, ReportJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            return BadRequest("Malformed request body", $"The body must be JSON like {{\"runs\": [1, 2]}}: {ex.Message}");
        }
        var runs = request?.Runs;
        if (runs is null || runs.Count < 2)
            return BadRequest("Too few runs", "A comparison needs at least two run ids: {\"runs\": [1, 2]}.");
        if (runs.Count > MaxComparedRuns)
            return BadRequest("Too many runs", $"A comparison takes at most {MaxComparedRuns} runs; there were {runs.Count}.");
        if (runs.Distinct().Count() != runs.Count)
            return BadRequest("Repeated run", "Each run may appear once in a comparison.");

        var (report, missing) = await reports.CreateComparisonAsync(runs, cancellationToken);
        return report is not null ? Created(http, report.Token) : ApiProblems.RunNotFound(missing!.Value);
    }

    private static async Task<Ok<IReadOnlyList<ReportListItem>>> List(ReportService reports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reports.ListAsync(cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(string token, ReportService reports, CancellationToken cancellationToken) =>
        await reports.RevokeAsync(token, cancellationToken) ? TypedResults.NoContent() : ReportNotFound();

    private static async Task<IResult> Json(string token, ReportService reports, CancellationToken cancellationToken) =>
        await reports.FindModelJsonAsync(token, cancellationToken) is { } json
            ? TypedResults.Text(json, "application/json", Encoding.UTF8)
            : ReportNotFound();

    private static async Task<IResult> Markdown(string token, HttpContext http, ReportService reports, CancellationToken cancellationToken) =>
        await reports.FindModelJsonAsync(token, cancellationToken) is { } json
            ? TypedResults.Text(MarkdownWriter.Write(ReportJson.Deserialize(json), AbsoluteUrl(http, token)), "text/markdown; charset=utf-8")
            : ReportNotFound();

    private static async Task<IResult> Csv(string token, HttpContext http, ReportService reports, CancellationToken cancellationToken)
    {
        if (await reports.OpenPointsCsvAsync(token, cancellationToken) is not { } opened)
            return ReportNotFound();
        // The CSV is read out of the row while the response is written: its connection closes after it.
        http.Response.RegisterForDisposeAsync(opened.Connection);
        return TypedResults.Stream(opened.Csv, "text/csv; charset=utf-8", $"report-{token}.csv");
    }

    private static async Task<IResult> Chart(string token, string chart, HttpContext http, ReportService reports, CancellationToken cancellationToken)
    {
        if (await reports.FindModelJsonAsync(token, cancellationToken) is not { } json
            || ReportJson.Deserialize(json).Charts.FirstOrDefault(c => c.Id == chart) is not { } found)
            return ReportNotFound();
        // An SVG opened on its own is a document: it may not run script or load anything.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return TypedResults.Text(SvgChartWriter.Write(found), "image/svg+xml", Encoding.UTF8);
    }

    private static async Task<IResult> Sample(string token, string name, HttpContext http, ReportService reports, CancellationToken cancellationToken)
    {
        if (await reports.FindFileAsync(token, name, cancellationToken) is not { } file)
            return ReportNotFound();
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(file.Bytes, file.ContentType);
    }

    public static string AbsoluteUrl(HttpContext http, string token) =>
        $"{http.RequestServices.GetRequiredService<Configuration.PublicAddress>().Base}/r/{token}";

    private static Created<CreatedReport> Created(HttpContext http, string token)
    {
        var url = AbsoluteUrl(http, token);
        return TypedResults.Created(url, new CreatedReport(token, url));
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static ProblemHttpResult ReportNotFound() =>
        TypedResults.Problem(title: "Report not found", detail: "There is no report at this address; it may have been revoked.", statusCode: StatusCodes.Status404NotFound);
}
