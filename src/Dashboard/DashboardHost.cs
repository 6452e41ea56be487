using Dashboard.Alerts;
using Dashboard.Api;
using Dashboard.Api.Access;
using Dashboard.Configuration;
using Dashboard.Demo;
using Dashboard.Ingestion;
using Dashboard.Jobs;
using Dashboard.Live;
using Dashboard.Reports;
using Dashboard.Storage;
using Dashboard.Storage.Points;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Dashboard;

/// <summary>All the wiring, in one place, so tests start exactly what users run (on port 0, a temporary folder).</summary>
public static class DashboardHost
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var commandLine = CommandLine.Parse(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = commandLine.Remaining,
            // appsettings.json is copied beside the binary; the data and watch folders
            // stay relative to where the user runs the command.
            ContentRootPath = AppContext.BaseDirectory,
            // The static web assets manifests (blazor.web.js, MudBlazor, Plotly.Blazor) are named after the
            // application; under a test runner the entry assembly is the runner, not this project.
            ApplicationName = typeof(DashboardHost).Assembly.GetName().Name,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        GuideRulesSource.InsertFirst(builder.Configuration);
        foreach (var file in commandLine.RuleFiles)
        {
            if (!File.Exists(file))
                throw new ArgumentException($"--rules {file}: the file does not exist.");
            builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        }
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        // Package assets are served from the NuGet cache in a build folder (as in Development) and from
        // wwwroot once published; without a build manifest (a published app) this does nothing.
        builder.WebHost.UseStaticWebAssets();
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);

        // Kestrel answers an over-long request line with a bare 414; RequestTargetCheck answers with problem+json below this.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = 32 * RequestTargetCheck.MaxUrlLength);
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        MapEndpoints(app);
        AnnounceWhenStarted(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration("").ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        services.AddStore(configuration);
        services.AddSingleton<RunLabels>();

        services.AddSingleton<LiveBus>();
        services.AddSingleton<RunNotices>();
        services.AddSingleton<PageFeeds>();
        services.AddAlerts();
        services.AddIngestWriter();
        services.AddSingleton<WatchRoots>();
        services.AddHostedService<LogWatcher>();
        services.AddSingleton<RemoteIngest>();
        services.AddHostedService<HubBroadcaster>();
        services.AddHostedService<DemoWriter>();
        services.AddReports();

        services.ConfigureHttpJsonOptions(json => WireFormat.Configure(json.SerializerOptions));
        services.AddLiveHub(configuration);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSingleton<ApiKeyAccess>();
        services.AddSingleton<PublicAddress>();
        services.AddSessionCookie();
        services.AddJobs(configuration);
    }

    private static void AnnounceWhenStarted(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
            app.Logger.LogInformation(
                "Training Dashboard is up: open {Urls} (watching {Roots}; data in {Data})",
                string.Join(" ", app.Urls), string.Join(", ", app.Services.GetRequiredService<WatchRoots>().Paths), Path.GetFullPath(options.Data));
        });

    private static void MapEndpoints(WebApplication app)
    {
        // A body over its limit, or malformed HTTP, is the client's fault: its own status, not a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<RequestTargetCheck>();
        app.MapStaticAssets();
        app.UseMiddleware<AccessGuard>();
        app.UseJobsDashboard();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapRunsApi();
        app.MapRunLabelsApi();
        app.MapIngestApi();
        app.MapAgentApi();
        app.MapSessionApi();
        app.MapAlertsApi();
        app.MapReportsApi();
        app.MapJobsApi();
        app.MapHub<LiveHub>(LiveHub.Path);
        // Blazor would set a CSP of its own (frame-ancestors only) on interactive pages, and SecurityHeaders
        // keeps a policy an endpoint set: the service's full policy must apply to these pages too.
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
    }
}
