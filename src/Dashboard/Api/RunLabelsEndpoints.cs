using Dashboard.Api.Access;
using Dashboard.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>Tags and a note on a run, written by users (with the API key or a signed-in session).</summary>
public static class RunLabelsEndpoints
{
    public sealed record TagsRequest(IReadOnlyList<string?>? Tags);

    public sealed record TagsAnswer(IReadOnlyList<string> Tags);

    public sealed record NoteRequest(string? Note);

    public sealed record NoteAnswer(string? Note);

    public static IEndpointRouteBuilder MapRunLabelsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapPut("/{id:long}/tags", SetTags).RequiresWriteAccess()
            .WithSummary($"Body {{tags: [...]}}: replaces the run's tags (at most {RunLabelRules.MaxTags}, each 1-{RunLabelRules.MaxTagLength} characters, no control characters).");
        runs.MapPut("/{id:long}/note", SetNote).RequiresWriteAccess()
            .WithSummary($"Body {{note}}: sets the run's note (at most {RunLabelRules.MaxNoteLength} characters; empty removes it). Reports include it.");
        return app;
    }

    private static async Task<Results<Ok<TagsAnswer>, ProblemHttpResult>> SetTags(long id, TagsRequest request, RunLabels labels, CancellationToken cancellationToken)
    {
        if (request.Tags is null)
            return Invalid(new("tags", "tags must be an array of strings."));
        if (RunLabelRules.Tags(request.Tags, out var tags) is { } problem)
            return Invalid(problem);
        return await labels.SetTagsAsync(id, tags, cancellationToken) ? TypedResults.Ok(new TagsAnswer(tags)) : ApiProblems.RunNotFound(id);
    }

    private static async Task<Results<Ok<NoteAnswer>, ProblemHttpResult>> SetNote(long id, NoteRequest request, RunLabels labels, CancellationToken cancellationToken)
    {
        if (RunLabelRules.Note(request.Note, out var note) is { } problem)
            return Invalid(problem);
        return await labels.SetNoteAsync(id, note, cancellationToken) ? TypedResults.Ok(new NoteAnswer(note.Length == 0 ? null : note)) : ApiProblems.RunNotFound(id);
    }

    private static ProblemHttpResult Invalid(RunLabelRules.Problem problem) =>
        TypedResults.Problem(title: $"Invalid {problem.Field}", detail: problem.Detail, statusCode: StatusCodes.Status400BadRequest);
}
