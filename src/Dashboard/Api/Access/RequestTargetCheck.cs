namespace Dashboard.Api.Access;

/// <summary>
/// Paths no route has a use for — a NUL or other control character, an over-long URL — are answered
/// with problem+json at once, before static files or routing turn them into a file-system call.
/// Kestrel's own limit on the request line is raised above <see cref="MaxUrlLength"/> so that this,
/// not a bare 414, is what a client sees.
/// </summary>
public sealed class RequestTargetCheck(RequestDelegate next)
{
    public const int MaxUrlLength = 8 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var length = request.Path.Value?.Length + request.QueryString.Value?.Length + request.PathBase.Value?.Length ?? 0;
        if (length > MaxUrlLength)
            return Refuse(context, StatusCodes.Status414UriTooLong, "URL too long", $"URLs here are at most {MaxUrlLength} characters.");
        if (request.Path.Value is { } path && path.Any(char.IsControl))
            return Refuse(context, StatusCodes.Status400BadRequest, "Invalid path", "The path holds a control character (such as NUL).");
        return next(context);
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
}
