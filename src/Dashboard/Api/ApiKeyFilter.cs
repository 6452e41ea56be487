using System.Security.Cryptography;
using System.Text;
using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Api;

/// <summary>When an API key is configured, writes need <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.</summary>
public sealed class ApiKeyFilter(IOptions<DashboardOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.Auth.ApiKey;
        if (string.IsNullOrEmpty(expected) || Matches(Presented(context.HttpContext.Request), expected))
            return await next(context);
        return TypedResults.Problem(
            title: "API key required",
            detail: "This service needs an API key for writes: send 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var key) && key.Count == 1)
            return key[0];
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private static bool Matches(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
