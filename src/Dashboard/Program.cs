using Dashboard;
using Dashboard.Import;

if (args.Length > 0 && args[0] == "import")
{
    try
    {
        return await ImportCommand.RunAsync(args[1..], Console.Error);
    }
    catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"import: {error.Message}");
        return 1;
    }
}

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
