using Dashboard;

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
