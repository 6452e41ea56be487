namespace Dashboard.Api.Access;

/// <summary>
/// Headers on every answer: no sniffing, no framing, and a content security policy that lets pages
/// load only this service's own scripts (Plotly's inline style rules and the pages' style attributes
/// need inline styles). An endpoint that sets a stricter policy (report SVGs) keeps its own.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Hangfire's dashboard pages carry inline scripts of their own.</summary>
    public const string HangfirePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            if (!headers.ContainsKey("Referrer-Policy"))
                headers["Referrer-Policy"] = "same-origin";
            if (!headers.ContainsKey("Content-Security-Policy"))
                headers.ContentSecurityPolicy = response.HttpContext.Request.Path.StartsWithSegments(Jobs.HangfireDashboardAccess.Path) ? HangfirePolicy : Policy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
