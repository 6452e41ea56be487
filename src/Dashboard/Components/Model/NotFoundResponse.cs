using Microsoft.AspNetCore.Http;

namespace Dashboard.Components.Model;

/// <summary>
/// Makes a statically rendered page answer 404 while keeping its own content. In .NET 10 a page
/// that sets Response.StatusCode = 404 while rendering gets an empty body (the framework leaves a
/// 404 to the Router's NotFoundPage or to status-code re-execution), so the status is changed
/// just before the headers go out, after the page has rendered.
/// </summary>
public static class NotFoundResponse
{
    public static void Set(HttpContext? httpContext)
    {
        if (httpContext is null || httpContext.Response.HasStarted) return;
        var response = httpContext.Response;
        response.OnStarting(() =>
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
