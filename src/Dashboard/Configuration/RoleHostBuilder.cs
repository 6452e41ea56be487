namespace Dashboard.Configuration;

/// <summary>
/// The host builder of a role without a web server (agent, worker): the command line's flags, the role's own
/// data folder by default (so it never shares a web instance's files), then the caller's overrides (tests).
/// </summary>
public static class RoleHostBuilder
{
    public static HostApplicationBuilder Create(string[] args, string defaultData, IReadOnlyDictionary<string, string?>? overrides)
    {
        var commandLine = CommandLine.Parse(args);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = commandLine.Remaining,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(RoleHostBuilder).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Data"] = defaultData });
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);
        return builder;
    }
}
