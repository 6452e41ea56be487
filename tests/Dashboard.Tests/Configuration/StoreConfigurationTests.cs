using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Configuration;

/// <summary>The store's settings are refused at start with their key, before anything connects.</summary>
public sealed class StoreConfigurationTests
{
    [Fact]
    public void Store_flag_chooses_PostgreSQL_with_its_connection_string()
    {
        var parsed = CommandLine.Parse(["--store", "Host=db;Database=dashboard;Username=u;Password=p"]);

        Assert.Equal("postgres", parsed.Settings["Store:Provider"]);
        Assert.Equal("Host=db;Database=dashboard;Username=u;Password=p", parsed.Settings["Store:ConnectionString"]);
    }

    [Fact]
    public async Task A_redis_address_that_is_not_host_and_port_is_refused_at_start()
    {
        var root = Directory.CreateTempSubdirectory("dashboard-config-").FullName;
        try
        {
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs"), "--redis", "redis.example"]);

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains("Live:Redis: 'redis.example' is not HOST:PORT", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("mysql", null, "Store:Provider: 'mysql' is neither")]
    [InlineData("postgres", null, "Store:ConnectionString: PostgreSQL needs one")]
    [InlineData("postgres", "Host=db;Password=s3cret;Nonsense=1", "Store:ConnectionString: not a valid PostgreSQL connection string")]
    [InlineData("postgres", "Host=db;Username=u;Password=s3cret", "Store:ConnectionString: needs Database=")]
    [InlineData("postgres", "Database=d;Username=u;Password=s3cret", "Store:ConnectionString: needs Host=")]
    [InlineData("sqlite", "Host=db;Database=d;Username=u", "Store:ConnectionString: is set but Store:Provider is 'sqlite'")]
    public async Task Bad_store_settings_are_refused_at_start(string provider, string? connectionString, string expected)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-config-").FullName;
        try
        {
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs")],
                new Dictionary<string, string?> { ["Store:Provider"] = provider, ["Store:ConnectionString"] = connectionString });

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(expected, error.Message);
            Assert.DoesNotContain("s3cret", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
