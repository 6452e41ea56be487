using System.Text.Json;
using Dashboard.Api.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>
/// Signing in on the pages: the API key is sent once and exchanged for an HttpOnly session cookie;
/// scripts keep sending the key itself.
/// </summary>
public static class SessionEndpoints
{
    public sealed record SignIn(string? ApiKey);

    public sealed record SessionState(bool KeyRequired, bool SignedIn);

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Session");
        session.MapGet("/", State).WithSummary("Whether writes need the API key, and whether this browser is signed in.");
        session.MapPost("/", SignInAsync).WithMetadata(new ProtectedEndpoint(Write: true, 4096, Anonymous: true))
            .WithSummary("Body {apiKey}: sets an HttpOnly, SameSite=Strict session cookie when the key is right.");
        session.MapDelete("/", (Delegate)SignOutAsync).RequiresWriteAccess().WithSummary("Signs this browser out.");
        return app;
    }

    private static async Task<Ok<SessionState>> State(HttpContext http, ApiKeyAccess access) =>
        TypedResults.Ok(new SessionState(access.KeyRequired, !access.KeyRequired || await access.HasSessionAsync(http)));

    private static async Task<Results<Ok<SessionState>, ProblemHttpResult>> SignInAsync(HttpContext http, ApiKeyAccess access, CancellationToken cancellationToken)
    {
        if (!access.KeyRequired)
            return TypedResults.Ok(new SessionState(false, true));
        SignIn? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<SignIn>(http.Request.Body, WireFormat.Options, cancellationToken);
        }
        catch (JsonException)
        {
            request = null;
        }
        if (!access.Matches(request?.ApiKey))
            return TypedResults.Problem(title: "Wrong API key", detail: "That is not this service's API key.", statusCode: StatusCodes.Status401Unauthorized);
        await http.SignInAsync(SessionCookie.Scheme, access.Principal());
        return TypedResults.Ok(new SessionState(true, true));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(SessionCookie.Scheme);
        return TypedResults.NoContent();
    }
}
