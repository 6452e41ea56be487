using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Configuration;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public async Task Bad_configuration_is_refused_at_start_naming_every_bad_key()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-config-").FullName;
        try
        {
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs")],
                new Dictionary<string, string?>
                {
                    ["Watch:PollIntervalMs"] = "5",
                    ["Live:CoalesceMs"] = "-1",
                    ["Auth:ApiKey"] = "short",
                    ["Alerts:Niceness"] = "20",
                });
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Watch:PollIntervalMs", error.Message);
            Assert.Contains("Live:CoalesceMs", error.Message);
            Assert.Contains("Auth:ApiKey", error.Message);
            Assert.Contains("Alerts:Niceness: 20 must be within 0..19.", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
