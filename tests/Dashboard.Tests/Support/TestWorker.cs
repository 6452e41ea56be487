using System.Diagnostics;
using System.Text;
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

    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Root { get; } = Directory.CreateTempSubdirectory("dashboard-worker-").FullName;

    public void Start()
    {
        string[] arguments =
        [
            "worker", "--store", store, "--gpus", "0", "--node", node, "--data", Path.Combine(Root, "data"),
            $"--Jobs:InvisibilityTimeoutSeconds={InvisibilityTimeoutSeconds}", "--Jobs:CancelCheckMs=200", "--Logging:LogLevel:Default=Warning",
            .. JobsHarness.Settings(slots: null).Select(s => $"--{s.Key}={s.Value}"),
        ];
        _process = ChildService.Start(arguments, _output);
    }

    public string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    public async Task KillAsync()
    {
        if (_process is null)
            return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

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
