using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dashboard.Api;
using Dashboard.Configuration;
using Dashboard.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dashboard.Tests.Support;

/// <summary>
/// The real host on a loopback port chosen by the OS, against its own temporary data and watch
/// folders. Restart keeps the folders, so tests can check what survives.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    private readonly string[] _extraArguments;

    private TestHost(string root, Dictionary<string, string?> settings, string[] extraArguments)
    {
        Root = root;
        _settings = settings;
        _extraArguments = extraArguments;
    }

    public string Root { get; }
    public string DataFolder => Path.Combine(Root, "data");
    public string WatchFolder => Path.Combine(Root, "runs");
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    public static async Task<TestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string[]? extraArguments = null)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-test-").FullName;
        var host = new TestHost(root, new Dictionary<string, string?>
        {
            ["Watch:PollIntervalMs"] = "200",
            ["Logging:LogLevel:Default"] = "Warning",
        }, extraArguments ?? []);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            host._settings[key] = value;
        Directory.CreateDirectory(host.WatchFolder);
        await host.StartAppAsync();
        return host;
    }

    /// <summary>
    /// The host's store, opened as the service opens it (from the same arguments), for checks made
    /// while the service is stopped or runs in another process. Dispose it when it is disposable.
    /// </summary>
    public IStoreDatabase StoreDatabase() =>
        CommandLine.Parse(Arguments).Settings.TryGetValue("Store:ConnectionString", out var connectionString)
            ? new Dashboard.Storage.Postgres.PostgresDatabase(connectionString!)
            : new SqliteDatabase(StoreFile);

    /// <summary>The embedded store's SQLite file.</summary>
    public string StoreFile => Path.Combine(DataFolder, "dashboard.db");

    public string[] Arguments => ["--urls", _urls, "--data", DataFolder, "--watch", WatchFolder, .. _extraArguments];

    private string _urls = "http://127.0.0.1:0";

    /// <summary>Stops and starts again on the same folders; with keepPort, on the same address so open pages can reconnect.</summary>
    public async Task RestartAsync(bool keepPort = false)
    {
        await StopAsync();
        if (keepPort)
            _urls = BaseAddress.GetLeftPart(UriPartial.Authority);
        await StartAppAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null)
            return;
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// The service on this host's folders as a process of its own (stop this host first), for tests that SIGKILL
    /// it; on the address this host had when it was, so clients that knew it (an agent) reach it.
    /// </summary>
    public Process StartProcess(StringBuilder output, bool keepAddress = false) =>
        ChildService.Start(
            [.. Arguments, .. keepAddress ? [$"--urls={BaseAddress.GetLeftPart(UriPartial.Authority)}"] : Array.Empty<string>(), "--Watch:PollIntervalMs=200"],
            output);

    /// <summary>Writes a log under the watch folder (project/name.log); returns its full path.</summary>
    public string LogPath(string project, string fileName)
    {
        var folder = Directory.CreateDirectory(Path.Combine(WatchFolder, project)).FullName;
        return Path.Combine(folder, fileName);
    }

    public static async Task AppendAsync(string path, string text)
    {
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text);
    }

    public async Task<T> GetJsonAsync<T>(string url) =>
        (await Http.GetFromJsonAsync<T>(url, Json))!;

    /// <summary>
    /// Polls the API until the condition holds, or fails after the timeout. Generous by default: what the tests wait for
    /// often comes from the rules, whose thread runs at a low priority (Alerts:Niceness), and a CI machine at load
    /// average 25 gives such a thread about 1% of a core; a wait that holds ends at once whatever the timeout.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        T value;
        while (true)
        {
            value = await probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeoutMs} ms waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async Task<RunSummary> WaitForRunAsync(Func<RunSummary, bool> match, int timeoutMs = 10_000) =>
        (await EventuallyAsync(
            async () => (await GetJsonAsync<List<RunSummary>>($"/api/runs?limit={RunQuery.MaxLimit}")).FirstOrDefault(match),
            r => r is not null, "a matching run in /api/runs", timeoutMs))!;

    /// <summary>Writes a log under the watch folder and waits until its run has reached a step.</summary>
    public async Task<(string Log, RunSummary Run)> WriteRunAsync(string project, string fileName, string text, long untilStep, int timeoutMs = 10_000)
    {
        var log = LogPath(project, fileName);
        await AppendAsync(log, text);
        return (log, await WaitForRunAsync(r => r.Source == log && r.Step == untilStep, timeoutMs));
    }

    private async Task StartAppAsync()
    {
        _app = DashboardHost.Build(Arguments, _settings);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        // A minute: with the whole suite on two cores (load average 17) plain API calls took over 15 s three times in one run.
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        WireFormat.Configure(options);
        return options;
    }
}
