using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Dashboard.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the tests: a cluster made by initdb in a temporary folder, listening on
/// a free loopback port, shared by the tests of <see cref="PostgresCollection"/> and removed after them.
/// Each test gets a database of its own (<see cref="CreateDatabaseAsync"/>). PostgreSQL refuses to run
/// as root, so as root the cluster belongs to, and the server runs as, <c>nobody</c>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "dashboard";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dashboard-pg-");
    private string _bin = "";
    private int _databases;

    public int Port { get; private set; }

    private string ClusterFolder => Path.Combine(_folder.FullName, "cluster");

    private string ServerLog => Path.Combine(_folder.FullName, "server.log");

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        if (IsRoot)
            await RunAsync("chown", ["nobody:nogroup", _folder.FullName], asServerUser: false);
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", ClusterFolder, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // A port picked free can be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                // Durability settings off: the tests check what commits, not what survives a power cut.
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", ClusterFolder, "-l", ServerLog, "-w", "-t", "60", "-o",
                    $"-p {Port} -k {_folder.FullName} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                    "start"], serverLog: ServerLog);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = User }.ToString();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (Port != 0)
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", ClusterFolder, "-m", "immediate", "-w", "stop"], serverLog: ServerLog);
        }
        finally
        {
            _folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// pg_config's bindir where the server is installed there, else the newest of Debian's
    /// /usr/lib/postgresql/N/bin. Missing binaries fail the tests, not skip them: CI installs them.
    /// </summary>
    private static string FindBinaries()
    {
        var candidates = new List<string>();
        try
        {
            var bindir = Run("pg_config", "--bindir").Trim();
            if (bindir.Length > 0)
                candidates.Add(bindir);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on the PATH: Debian's server package does not always bring one.
        }
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(VersionOf).Select(d => Path.Combine(d, "bin")));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "The PostgreSQL tests need the server binaries (initdb, pg_ctl), found neither through `pg_config --bindir` nor in /usr/lib/postgresql/*/bin. " +
                "Install them with `sudo bash .ci/install-deps` (Debian's postgresql package).");
    }

    private static int VersionOf(string folder) => int.TryParse(Path.GetFileName(folder), out var version) ? version : 0;

    private static bool IsRoot => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : "";
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asServerUser = true, string? serverLog = null)
    {
        // setpriv (util-linux, on every Debian) drops to nobody without a login shell or sudo.
        var start = asServerUser && IsRoot
            ? new ProcessStartInfo("setpriv") { ArgumentList = { "--reuid=nobody", "--regid=nogroup", "--clear-groups", file } }
            : new ProcessStartInfo(file);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // pg_ctl's server inherits its stdout: redirected, the server would keep the pipe, and the read below, open.
        if (serverLog is not null)
            start.RedirectStandardOutput = start.RedirectStandardError = false;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var output = start.RedirectStandardOutput ? process.StandardOutput.ReadToEndAsync(timeout.Token) : Task.FromResult("");
        var errors = start.RedirectStandardError ? process.StandardError.ReadToEndAsync(timeout.Token) : Task.FromResult("");
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = serverLog is not null && File.Exists(serverLog) ? await File.ReadAllTextAsync(serverLog) : "";
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await errors}\n{log}");
        }
    }
}
