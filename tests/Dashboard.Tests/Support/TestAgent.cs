using Dashboard.Agent;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Tests.Support;

/// <summary>
/// An agent (<c>Dashboard agent</c>) with its own temporary watch and data folders, sending to a test host: in
/// this process, or as a process of its own when a test must SIGKILL it.
/// </summary>
public sealed class TestAgent : IAsyncDisposable
{
    public const string Node = "node-a";

    private readonly Uri _server;
    private readonly string _apiKey;
    private IHost? _host;
    private readonly ChildProcess _child = new();

    public TestAgent(Uri server, string apiKey)
    {
        (_server, _apiKey) = (server, apiKey);
        Root = Directory.CreateTempSubdirectory("dashboard-agent-").FullName;
        Directory.CreateDirectory(WatchFolder);
    }

    public string Root { get; }
    public string WatchFolder => Path.Combine(Root, "runs");
    public string DataFolder => Path.Combine(Root, "data");
    public AgentSpool Spool => _host!.Services.GetRequiredService<AgentSpool>();

    public string[] Arguments =>
    [
        "--server", _server.ToString(), "--api-key", _apiKey, "--node", Node, "--watch", WatchFolder, "--data", DataFolder,
        "--Watch:PollIntervalMs=200", "--Agent:MaxRetryDelayMs=300", "--Logging:LogLevel:Default=Warning",
    ];

    /// <summary>A log under the agent's watch folder (project/name), and the key the server stores it under.</summary>
    public (string Path, string StoredKey) Log(string project, string fileName)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(WatchFolder, project)).FullName, fileName);
        return (path, AgentBatch.StoredKey(Node, path));
    }

    public async Task StartAsync()
    {
        _host = AgentHost.Build(Arguments);
        await _host.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_host is null)
            return;
        await _host.StopAsync();
        _host.Dispose();
        _host = null;
    }

    public void StartProcess() => _child.Start(["agent", .. Arguments]);

    public bool ProcessExited => _child.Exited;

    public string ProcessOutput() => _child.Output();

    public Task KillProcessAsync() => _child.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await KillProcessAsync();
        await StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
