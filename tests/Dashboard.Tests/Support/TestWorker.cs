using Dashboard.Tests.Jobs;

namespace Dashboard.Tests.Support;

/// <summary>
/// A GPU worker (<c>Dashboard worker</c>) as a process of its own, so a test can SIGKILL it mid-job: on one
/// PostgreSQL store, for one node's queues, running the stand-in evaluator (<see cref="JobsHarness"/>).
/// </summary>
public sealed class TestWorker(string store, string node) : IAsyncDisposable
{
    /// <summary>Short, so a job whose worker was killed is handed out again within seconds.</summary>
    public const int InvisibilityTimeoutSeconds = 5;

    private readonly ChildProcess _child = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("dashboard-worker-").FullName;

    public void Start()
    {
        string[] arguments =
        [
            "worker", "--store", store, "--gpus", "0", "--node", node, "--data", Path.Combine(Root, "data"),
            $"--Jobs:InvisibilityTimeoutSeconds={InvisibilityTimeoutSeconds}", "--Logging:LogLevel:Default=Warning",
            .. JobsHarness.Settings(slots: null).Select(s => $"--{s.Key}={s.Value}"),
        ];
        _child.Start(arguments);
    }

    public string Output() => _child.Output();

    public Task KillAsync() => _child.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed evaluator may still be writing there.
        }
    }
}
