namespace Dashboard.Api.Access;

/// <summary>
/// Marks an endpoint that <see cref="AccessGuard"/> checks before anything reads the request body.
/// </summary>
/// <param name="Write">A write: same-site only, a JSON body (if any) of at most <paramref name="MaxBodyBytes"/>.</param>
public sealed record ProtectedEndpoint(bool Write, long MaxBodyBytes);

public static class ProtectedEndpoints
{
    /// <summary>Every write but ingest sends a few fields at most.</summary>
    public const long SmallBody = 64 * 1024;

    /// <summary>An ingest request: tens of thousands of lines; an agent splits larger uploads.</summary>
    public const long IngestBody = 8 * 1024 * 1024;

    /// <summary>An agent's batch: what the parsers made of one read chunk (a megabyte of dense CSV is a few hundred thousand points).</summary>
    public const long AgentBody = 64 * 1024 * 1024;

    /// <summary>A write: the API key (or the signed-in session) when one is configured, from this site only, JSON only.</summary>
    public static TBuilder RequiresWriteAccess<TBuilder>(this TBuilder builder, long maxBodyBytes = SmallBody)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProtectedEndpoint(Write: true, maxBodyBytes));

    /// <summary>A read that lists capabilities (report tokens): the key when one is configured.</summary>
    public static TBuilder RequiresKeyToRead<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProtectedEndpoint(Write: false, 0));
}
