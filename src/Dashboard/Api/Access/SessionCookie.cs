using Microsoft.AspNetCore.Authentication.Cookies;

namespace Dashboard.Api.Access;

/// <summary>
/// The browser's sign-in: an HttpOnly, SameSite=Strict cookie set by the /signin page's form with the
/// API key, so the pages never hold the key in script-readable storage.
/// </summary>
public static class SessionCookie
{
    public const string Scheme = "DashboardSession";
    public const string Name = "dashboard.session";

    public static IServiceCollection AddSessionCookie(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = Name;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(7);
            cookie.SlidingExpiration = true;
            // An API answers 401/403; it never redirects to a login page.
            cookie.Events.OnRedirectToLogin = context => Answer(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Answer(context.Response, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = context =>
            {
                if (!context.HttpContext.RequestServices.GetRequiredService<ApiKeyAccess>().IsCurrent(context.Principal!))
                    context.RejectPrincipal();
                return Task.CompletedTask;
            };
        });
        return services;
    }

    private static Task Answer(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
