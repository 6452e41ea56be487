using Dashboard.Tests.Support;

namespace Dashboard.Tests.Live;

/// <summary>Two web instances on one PostgreSQL store and one Redis: a page on either sees what the other ingests.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BackplaneTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_line_ingested_by_one_instance_reaches_a_hub_client_of_the_other()
    {
        string[] shared = ["--store", await postgres.CreateDatabaseAsync(), "--redis", redis.Address];
        await using var ingesting = await TestHost.StartAsync(extraArguments: shared);
        await using var serving = await TestHost.StartAsync(extraArguments: shared);
        var (log, run) = await ingesting.WriteRunAsync("team", "shared.log", LogLines.Iter(100, 4), untilStep: 100);
        // The other instance reads the same store.
        Assert.Equal(100, (await serving.WaitForRunAsync(r => r.Id == run.Id)).Step);

        await using var client = await LiveHubClient.ConnectAsync(serving.BaseAddress);
        await client.InvokeAsync("Subscribe", run.Id);
        await TestHost.AppendAsync(log, LogLines.Iter(200, 3.5));

        var points = await client.NextAsync("points", m => m.Body.GetProperty("points").GetProperty("Loss_CE")[0][0].GetInt64() == 200, TimeSpan.FromSeconds(10));
        Assert.Equal(run.Id, points.Body.GetProperty("run").GetInt64());
        Assert.Equal(3.5, points.Body.GetProperty("points").GetProperty("Loss_CE")[0][1].GetDouble());
    }
}
