using Dashboard.Api.Access;
using Dashboard.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>Tags and a note on a run, written by users (with the API key or a signed-in session).</summary>
public static class RunLabelsEndpoints
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MaxNoteLength = 10_000;

    public sealed record TagsRequest(IReadOnlyList<string?>? Tags);

    public sealed record TagsAnswer(IReadOnlyList<string> Tags);

    public sealed record NoteRequest(string? Note);

    public sealed record NoteAnswer(string? Note);

    public static IEndpointRouteBuilder MapRunLabelsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapPut("/{id:long}/tags", SetTags).RequiresWriteAccess()
            .WithSummary($"Body {{tags: [...]}}: replaces the run's tags (at most {MaxTags}, each 1-{MaxTagLength} characters, no control characters).");
        runs.MapPut("/{id:long}/note", SetNote).RequiresWriteAccess()
            .WithSummary($"Body {{note}}: sets the run's note (at most {MaxNoteLength} characters; empty removes it). Reports include it.");
        return app;
    }

    private static async Task<Results<Ok<TagsAnswer>, ProblemHttpResult>> SetTags(long id, TagsRequest request, RunLabels labels, CancellationToken cancellationToken)
    {
        if (request.Tags is null)
            return Invalid("tags", "tags must be an array of strings.");
        var tags = new List<string>();
        for (var i = 0; i < request.Tags.Count; i++)
        {
            var tag = request.Tags[i]?.Trim();
            if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength || tag.Any(char.IsControl))
                return Invalid($"tags[{i}]", $"tags[{i}] must be 1 to {MaxTagLength} characters without control characters.");
            if (!tags.Contains(tag, StringComparer.Ordinal))
                tags.Add(tag);
        }
        if (tags.Count > MaxTags)
            return Invalid("tags", $"a run has at most {MaxTags} tags; {tags.Count} were sent.");
        tags.Sort(StringComparer.Ordinal);
        return await labels.SetTagsAsync(id, tags, cancellationToken) ? TypedResults.Ok(new TagsAnswer(tags)) : ApiProblems.RunNotFound(id);
    }

    private static async Task<Results<Ok<NoteAnswer>, ProblemHttpResult>> SetNote(long id, NoteRequest request, RunLabels labels, CancellationToken cancellationToken)
    {
        var note = (request.Note ?? "").Trim();
        if (note.Length > MaxNoteLength)
            return Invalid("note", $"note is at most {MaxNoteLength} characters; it was {note.Length}.");
        if (note.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            return Invalid("note", "note must not hold control characters other than line breaks and tabs.");
        return await labels.SetNoteAsync(id, note, cancellationToken) ? TypedResults.Ok(new NoteAnswer(note.Length == 0 ? null : note)) : ApiProblems.RunNotFound(id);
    }

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(title: $"Invalid {field}", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
