using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dashboard.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dashboard.Api.Access;

/// <summary>
/// Who may write: anyone when no API key is configured; else a request that presents the key
/// (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>) or carries the session cookie that
/// signing in with the key set. A session remembers which key it was made with, so changing the key
/// signs every browser out.
/// </summary>
public sealed class ApiKeyAccess(IOptions<DashboardOptions> options)
{
    public const string KeyClaim = "dashboard:key";

    public bool KeyRequired => !string.IsNullOrEmpty(options.Value.Auth.ApiKey);

    public bool Matches(string? presented) =>
        presented is not null && KeyRequired
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(options.Value.Auth.ApiKey!));

    /// <summary>Whether the request itself carries the key (a script), as opposed to a browser's session.</summary>
    public bool PresentsKey(HttpRequest request) => Matches(Presented(request));

    public async Task<bool> IsAllowedAsync(HttpContext context) =>
        !KeyRequired || Matches(Presented(context.Request)) || await HasSessionAsync(context);

    public async Task<bool> HasSessionAsync(HttpContext context) =>
        KeyRequired && (await context.AuthenticateAsync(SessionCookie.Scheme)).Principal is { } user && IsCurrent(user);

    /// <summary>The principal a sign-in stores in the cookie.</summary>
    public ClaimsPrincipal Principal() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key"), new Claim(KeyClaim, Fingerprint())], SessionCookie.Scheme));

    public bool IsCurrent(ClaimsPrincipal user) =>
        KeyRequired && user.FindFirst(KeyClaim)?.Value == Fingerprint();

    private string Fingerprint() =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("dashboard-session:" + options.Value.Auth.ApiKey)))[..16];

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var key) && key.Count == 1)
            return key[0];
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
