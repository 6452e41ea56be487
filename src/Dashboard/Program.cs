using Dashboard;
using Dashboard.Import;

if (args.Length > 0 && args[0] == "import")
{
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    try
    {
        return await ImportCommand.RunAsync(args[1..], Console.Error, cancellationToken: interrupted.Token);
    }
    catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("\nimport: interrupted; what was committed stays, and running it again continues from there");
        return 1;
    }
    catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"import: {error.Message}");
        return 1;
    }
}

// The roles of a team deployment beside the web one: same binary, no web server.
if (args.Length > 0 && args[0] is "agent" or "worker")
{
    try
    {
        var host = args[0] == "agent" ? Dashboard.Agent.AgentHost.Build(args[1..]) : Dashboard.Worker.WorkerHost.Build(args[1..]);
        await host.RunAsync();
        return 0;
    }
    catch (ArgumentException error)
    {
        await Console.Error.WriteLineAsync($"{args[0]}: cannot start: {error.Message}");
        return 2;
    }
}

// "web" names the default role, for deployments that name every role.
if (args.Length > 0 && args[0] == "web")
    args = args[1..];

try
{
    var app = DashboardHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception error) when (error is ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
{
    await Console.Error.WriteLineAsync($"Cannot start: {error.Message}");
    return 2;
}
