using System.Buffers;
using System.Text.Json;
using Dashboard.Agent;
using Dashboard.Api.Access;
using Dashboard.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>
/// What agents on training nodes talk to (<c>Dashboard agent</c>): batches they read from their logs, committed
/// exactly once, and where the store stands for a source, so an agent with an empty disk resumes there.
/// </summary>
public static class AgentEndpoints
{
    public const string BatchesPath = "/api/agent/batches";
    public const string PositionPath = "/api/agent/position";
    public const int MaxPathLength = 4096;

    /// <summary>Where the store stands for a source: the agent goes on from here.</summary>
    public sealed record SourceStand(long Offset, string? ParserState);

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(BatchesPath, Commit)
            .RequiresWriteAccess(ProtectedEndpoints.AgentBody)
            .Accepts<AgentBatch>("application/json")
            .Produces<SourceStand>()
            .Produces<SourceStand>(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithTags("Agents")
            .WithSummary("A batch an agent read from a log on its node, committed once: 200 with the source's offset, which is the batch's end; 409 when the store stands elsewhere.");
        app.MapGet(PositionPath, Position)
            .RequiresKeyToRead()
            .Produces<SourceStand>()
            .WithTags("Agents")
            .WithSummary("Where the store stands for a node's log (offset 0 when it has never seen it).");
        return app;
    }

    private static async Task<Results<Ok<SourceStand>, Conflict<SourceStand>, ProblemHttpResult>> Commit(
        HttpContext http, IngestWriter writer, ISourcePositions positions, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        AgentBatch? request;
        var (buffer, length) = await WholeBodyAsync(http.Request, cancellationToken);
        try
        {
            request = JsonSerializer.Deserialize<AgentBatch>(buffer.AsSpan(0, length), AgentBatch.Json);
        }
        catch (JsonException error)
        {
            return Invalid($"{error.Path ?? "body"}: {error.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (request is null)
            return Invalid("The body must be a batch object.");
        if (Problems(request) is { Count: > 0 } errors)
            return Invalid(string.Join(" ", errors));

        IngestBatch batch;
        try
        {
            batch = request.ToIngestBatch();
        }
        catch (JsonException error)
        {
            return Invalid($"'parserState': {error.Message}");
        }
        try
        {
            await writer.WithinWriteTimeoutAsync(token => writer.CommitAsync(batch, token), cancellationToken);
        }
        catch (WriterBusyException busy)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(title: "Store busy", detail: busy.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (BatchQuarantinedException aside)
        {
            // Set aside in the store with its error, and the source moved past it: the agent's part is done.
            logs.CreateLogger(typeof(AgentEndpoints)).LogWarning("A batch of {Source} was set aside: {Reason}", batch.Source.Key, aside.Message);
        }
        var stand = await StandAsync(positions, batch.Source.Key, cancellationToken);
        return stand.Offset == request.To ? TypedResults.Ok(stand) : TypedResults.Conflict(stand);
    }

    /// <summary>
    /// The whole body in one pooled buffer (the access guard bounds it): deserialized as it streamed in, a batch's
    /// long columns made the serializer scan ahead and copy its buffer again and again (a third of the service's CPU).
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> WholeBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, 4096, ProtectedEndpoints.AgentBody));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                    return (buffer, length);
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static async Task<Results<Ok<SourceStand>, ProblemHttpResult>> Position(
        string? node, string? key, ISourcePositions positions, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        CheckNode(node, errors);
        CheckPath(key, "key", errors);
        if (errors.Count > 0)
            return Invalid(string.Join(" ", errors));
        return TypedResults.Ok(await StandAsync(positions, AgentBatch.StoredKey(node!, key!), cancellationToken));
    }

    private static async Task<SourceStand> StandAsync(ISourcePositions positions, string storedKey, CancellationToken cancellationToken)
    {
        var position = await positions.GetAsync(storedKey, cancellationToken);
        return new SourceStand(position.Offset, position.State is null ? null : JsonSerializer.Serialize(position.State));
    }

    private static List<string> Problems(AgentBatch batch)
    {
        var errors = new List<string>();
        CheckNode(batch.Node, errors);
        CheckPath(batch.Key, "key", errors);
        if (batch.RunFolder is not null)
            CheckPath(batch.RunFolder, "runFolder", errors);
        IngestEndpoints.CheckName(batch.Name, "name", errors);
        if (batch.Project is null || batch.Project.Length > IngestEndpoints.MaxNameLength || batch.Project.Any(char.IsControl))
            errors.Add($"'project' must be at most {IngestEndpoints.MaxNameLength} characters without control characters.");
        if (batch.From < 0 || batch.To < 0)
            errors.Add("'from' and 'to' are byte offsets, never negative.");
        if (batch.Points is null)
            errors.Add("'points' is required (empty columns when the batch has none).");
        else if (batch.Points.Problem() is { } points)
            errors.Add(points);
        else if (batch.Points.Keys.FirstOrDefault(k => string.IsNullOrWhiteSpace(k) || k.Length > IngestEndpoints.MaxNameLength) is { } key)
            errors.Add($"points.keys: '{key[..Math.Min(key.Length, 40)]}' must be 1 to {IngestEndpoints.MaxNameLength} characters.");
        if (batch.Events is null || batch.Events.Any(e => e is null || e.Message is null))
            errors.Add("'events' must be a list of events with messages (empty when the batch has none).");
        else if (batch.Events.Count > IngestEndpoints.MaxItems)
            errors.Add($"'events': at most {IngestEndpoints.MaxItems} per batch.");
        else if (batch.Events.FirstOrDefault(e => e.Message.Length > IngestEndpoints.MaxLineLength) is { } longEvent)
            errors.Add($"'events': a message of {longEvent.Message.Length} characters; at most {IngestEndpoints.MaxLineLength}.");
        if (batch.ParserState is null)
            errors.Add("'parserState' is required.");
        return errors;
    }

    private static void CheckNode(string? node, List<string> errors)
    {
        if (!AgentBatch.IsNodeName(node))
            errors.Add($"'node' must be 1 to {AgentBatch.MaxNodeLength} characters without spaces, colons or control characters.");
    }

    private static void CheckPath(string? path, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Length > MaxPathLength || path.Any(char.IsControl) || !path.StartsWith('/'))
            errors.Add($"'{field}' must be the file's full path on the node (1 to {MaxPathLength} characters, no control characters).");
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid agent batch", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
