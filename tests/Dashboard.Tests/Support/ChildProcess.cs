using System.Diagnostics;
using System.Text;

namespace Dashboard.Tests.Support;

/// <summary>One role of the service run by <see cref="ChildService"/>, with its output kept for failure messages; SIGKILLed on demand.</summary>
public sealed class ChildProcess
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public void Start(IEnumerable<string> arguments) => _process = ChildService.Start(arguments, _output);

    public bool Exited => _process?.HasExited ?? true;

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
}
