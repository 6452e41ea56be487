using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Configuration;

/// <summary>Listening where other machines can reach the service needs an API key and the host names people use.</summary>
public sealed class ExposureTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://[::]:0")]
    public async Task Listening_beyond_loopback_without_a_key_is_refused_at_start(string urls)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(["--urls", urls]));
        Assert.Contains("no API key is set", error.Message);
        Assert.Contains("--allow-anonymous-writes", error.Message);
        Assert.Contains("AllowedHosts", error.Message);
    }

    [Fact]
    public async Task With_a_key_and_the_host_names_it_starts()
    {
        await StartAsync(["--urls", "http://0.0.0.0:0", "--api-key", "a-long-enough-key", "--AllowedHosts=dash.example.org;localhost"]);
    }

    [Fact]
    public async Task Anonymous_writes_beyond_loopback_must_be_asked_for()
    {
        await StartAsync(["--urls", "http://0.0.0.0:0", "--allow-anonymous-writes", "--AllowedHosts=*"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000;http://[::1]:5000")]
    [InlineData("https://127.0.0.2:443")]
    public void Loopback_needs_neither(string urls) =>
        Assert.Empty(ExposureCheck.Problems(urls, ExposureCheck.LoopbackHosts, new AuthOptions()));

    private static async Task StartAsync(string[] args)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-exposure-").FullName;
        try
        {
            await using var app = DashboardHost.Build([.. args, "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs")]);
            await app.StartAsync();
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
