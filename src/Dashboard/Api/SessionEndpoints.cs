using Dashboard.Api.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>
/// Whether this browser is signed in. Signing in and out happen on the /signin page's forms (antiforgery-checked);
/// scripts send the key itself and need no session.
/// </summary>
public static class SessionEndpoints
{
    public sealed record SessionState(bool KeyRequired, bool SignedIn);

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/session", State).WithTags("Session").WithSummary("Whether writes need the API key, and whether this browser is signed in.");
        return app;
    }

    private static async Task<Ok<SessionState>> State(HttpContext http, ApiKeyAccess access) =>
        TypedResults.Ok(new SessionState(access.KeyRequired, !access.KeyRequired || await access.HasSessionAsync(http)));
}
