using Dashboard.Configuration;
using Dashboard.Live;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Dashboard.Api.Access;

/// <summary>
/// Checks a protected endpoint's request before its body is read: from this site (Origin,
/// Sec-Fetch-Site; the live hub too, against DNS rebinding and cross-site WebSockets), the API key
/// or session (a write made with the session alone also needs the antiforgery token, as the pages' forms
/// have), a JSON content type, and the body's size. A refused request costs a header parse, not
/// a body in memory.
/// </summary>
public sealed class AccessGuard(RequestDelegate next, ApiKeyAccess access, PublicAddress address, IAntiforgery antiforgery)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var rule = context.GetEndpoint()?.Metadata.GetMetadata<ProtectedEndpoint>();
        var request = context.Request;
        if ((rule is { Write: true } || request.Path.StartsWithSegments(LiveHub.Path)) && SameSite.Refuses(request, address.Configured) is { } crossSite)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Cross-site request refused", crossSite);
            return;
        }
        if (rule is null)
        {
            await next(context);
            return;
        }
        if (!await access.IsAllowedAsync(context))
        {
            await Problem(context, StatusCodes.Status401Unauthorized, "API key required",
                "This service needs its API key here: send 'Authorization: Bearer KEY' or 'X-Api-Key: KEY', or sign in on the pages.");
            return;
        }
        // JSON writes carry the token in the RequestVerificationToken header, so checking it reads no body.
        if (rule.Write && access.KeyRequired && !access.PresentsKey(request) && !await antiforgery.IsRequestValidAsync(context))
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Antiforgery token required",
                "A write made with the browser's session needs the page's antiforgery token (header RequestVerificationToken); scripts send the API key instead.");
            return;
        }
        if (rule.Write && BodyProblem(request, rule.MaxBodyBytes) is { } problem)
        {
            await Problem(context, problem.Status, problem.Title, problem.Detail);
            return;
        }
        if (rule.Write && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = rule.MaxBodyBytes;
        await next(context);
    }

    /// <summary>
    /// A write takes JSON or nothing: a cross-site form can send text/plain, urlencoded or multipart
    /// bodies without a preflight, never application/json.
    /// </summary>
    private static (int Status, string Title, string Detail)? BodyProblem(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
            return (StatusCodes.Status413PayloadTooLarge, "Request body too large", $"This endpoint takes at most {maxBytes} bytes; split the upload.");
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (request.ContentType is null)
            return hasBody ? (StatusCodes.Status415UnsupportedMediaType, "JSON body expected", "Send the body with 'Content-Type: application/json'.") : null;
        return MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
               && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
            ? null
            : (StatusCodes.Status415UnsupportedMediaType, "JSON body expected", $"'{request.ContentType}' is not accepted here; send 'Content-Type: application/json'.");
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
}
