using Dashboard.Configuration;
using Dashboard.Ingestion;
using Microsoft.Extensions.Options;

namespace Dashboard.Agent;

/// <summary>
/// <c>Dashboard agent --server URL --api-key KEY --watch DIR…</c>: on a training node, the web role's watcher,
/// tailers and parsers, with the batches going to a disk spool and from there to a web instance instead of
/// into a store. No web server, no store, no rules here.
/// </summary>
public static class AgentHost
{
    /// <summary>The agent's own data folder by default, so an agent beside a web instance never shares its files.</summary>
    public const string DefaultData = "agent-data";

    public static IHost Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = RoleHostBuilder.Create(args, DefaultData, overrides);

        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration("");
        services.AddOptions<AgentOptions>().BindConfiguration("Agent");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentServer>();
        services.AddSingleton<AgentSpool>();
        services.AddSingleton<IBatchSink>(sp => sp.GetRequiredService<AgentSpool>());
        services.AddSingleton<ISourcePositions>(sp => sp.GetRequiredService<AgentSpool>());
        services.AddSingleton<WatchRoots>();
        services.AddHostedService<LogWatcher>();
        services.AddHostedService<AgentShipper>();

        var host = builder.Build();
        var agent = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var options = host.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (agent.Problem(options.Node) is { } problem)
            throw new ArgumentException(problem);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentHost)).LogInformation(
                "Agent {Node} is up: watching {Roots}, sending to {Server} (spool in {Data})",
                options.Node, string.Join(", ", host.Services.GetRequiredService<WatchRoots>().Paths), agent.Server, Path.GetFullPath(options.Data)));
        return host;
    }
}
