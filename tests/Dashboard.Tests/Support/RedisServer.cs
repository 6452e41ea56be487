using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dashboard.Tests.Support;

/// <summary>
/// A real Redis for the tests: Debian's redis-server on a free loopback port, nothing saved to disk,
/// killed at the end. A missing binary fails the tests, not skips them: CI installs it.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private const string Binary = "/usr/bin/redis-server";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dashboard-redis-");
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The value for <c>--redis</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"The backplane tests need {Binary}; install it with `sudo bash .ci/install-deps` (Debian's redis-server).");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder.FullName };
            foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.FullName])
                start.ArgumentList.Add(argument);
            _process = Process.Start(start)!;
            var output = new StringBuilder();
            _process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (await AnswersPingAsync())
                return;
            _process.Kill();
            await _process.WaitForExitAsync();
            // A port picked free can be taken before the server binds it: try a few.
            if (attempt == 3)
                lock (output)
                    throw new InvalidOperationException($"redis-server did not answer on port {Port}:\n{output}");
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !_process!.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                    return true;
            }
            catch (SocketException)
            {
            }
            await Task.Delay(50);
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _folder.Delete(recursive: true);
    }
}
