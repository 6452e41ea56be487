using Dashboard.Api.Access;
using Dashboard.Alerts;
using Dashboard.Core.Rules;
using Dashboard.Live;
using Dashboard.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Api;

/// <summary>Alerts, the rules that raise them, and the expected bands of a run's metrics.</summary>
public static class AlertsEndpoints
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api").WithTags("Alerts");
        alerts.MapGet("/alerts", List).WithSummary("Alerts of every run, active first; filter with active, severity, rule, run and q (text in the project or run name).");
        alerts.MapGet("/runs/{id:long}/alerts", ListOfRun).WithSummary("A run's alerts, active first.");
        alerts.MapPost("/alerts/{id:long}/acknowledge", Acknowledge).RequiresWriteAccess()
            .WithSummary("Marks an alert as seen by someone (needs the API key when one is configured).");
        alerts.MapGet("/runs/{id:long}/bands", Bands).WithSummary("The expected ranges of the run's metrics by phase of training (information, from the rules).");
        alerts.MapGet("/rules", Rules).WithSummary("The rules in force, by id.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertView>>, ProblemHttpResult>> List(
        bool? active, string? severity, string? rule, long? run, string? q, AlertStore store, CancellationToken cancellationToken)
    {
        AlertSeverity? level = null;
        if (severity is not null)
        {
            if (!Enum.TryParse<AlertSeverity>(severity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return TypedResults.Problem(title: "Invalid severity", detail: $"severity must be info, warning or critical; it was '{severity}'.", statusCode: StatusCodes.Status400BadRequest);
            level = parsed;
        }
        return TypedResults.Ok(await store.ListAsync(new AlertQuery(run, active, level, rule, Text: q), cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertView>>, ProblemHttpResult>> ListOfRun(
        long id, bool? active, IRunReader runs, AlertStore store, CancellationToken cancellationToken) =>
        await runs.GetRunAsync(id, cancellationToken) is null
            ? ApiProblems.RunNotFound(id)
            : TypedResults.Ok(await store.ListAsync(new AlertQuery(id, active), cancellationToken));

    private static async Task<Results<Ok<AlertView>, ProblemHttpResult>> Acknowledge(
        long id, AlertAcknowledgement acknowledgement, CancellationToken cancellationToken) =>
        await acknowledgement.AcknowledgeAsync(id, cancellationToken) is { } alert
            ? TypedResults.Ok(alert)
            : TypedResults.Problem(title: "Alert not found", detail: $"There is no alert {id}.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<IReadOnlyList<BandView>>, ProblemHttpResult>> Bands(
        long id, IRunReader runs, RuleSet rules, CancellationToken cancellationToken)
    {
        if (await runs.GetRunAsync(id, cancellationToken) is not { } run)
            return ApiProblems.RunNotFound(id);
        return TypedResults.Ok(BandView.Of(run, rules));
    }

    private static Ok<IReadOnlyDictionary<string, RuleDefinition>> Rules(RuleSet rules) =>
        TypedResults.Ok<IReadOnlyDictionary<string, RuleDefinition>>(rules.Rules.ToDictionary(r => r.Id, r => r.Definition));
}
