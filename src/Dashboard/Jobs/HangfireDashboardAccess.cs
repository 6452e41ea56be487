using Dashboard.Api.Access;
using Hangfire;
using Hangfire.Dashboard;

namespace Dashboard.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c>: readable by anyone who can read the jobs page; its
/// buttons (requeue, delete) only for a request with the API key or a signed-in session, like every
/// other write. With no key configured, everyone may act, as on the jobs page.
/// </summary>
public static class HangfireDashboardAccess
{
    public const string Path = "/hangfire";

    public static IApplicationBuilder UseJobsDashboard(this IApplicationBuilder app) =>
        app.UseHangfireDashboard(Path, new Hangfire.DashboardOptions
        {
            Authorization = [new Everyone()],
            IsReadOnlyFunc = context => !Allowed(context),
            DashboardTitle = "Training Dashboard jobs",
            AppPath = "/jobs",
        });

    private static bool Allowed(DashboardContext context)
    {
        var http = context.GetHttpContext();
        // The session cookie handler completes synchronously; Hangfire asks synchronously.
        return http.RequestServices.GetRequiredService<ApiKeyAccess>().IsAllowedAsync(http).GetAwaiter().GetResult();
    }

    private sealed class Everyone : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
