using System.Net;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Live;

public sealed class LiveHubTests
{
    [Fact]
    public async Task Subscribed_client_receives_appended_points_and_run_status()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "live.log", LogLines.Iter(100, 4), untilStep: 100);

        await using var client = await LiveHubClient.ConnectAsync(host.BaseAddress);
        await client.InvokeAsync("Subscribe", run.Id);
        await TestHost.AppendAsync(log, "Iter 200/50000 | Loss_CE: nan | Loss_D: 0.5\n");

        // The points of step 100 may still be on their way from before the subscription.
        var points = await client.NextAsync("points", m => m.Body.GetProperty("points").GetProperty("Loss_CE")[0][0].GetInt64() == 200, TimeSpan.FromSeconds(10));
        var message = points.Body;
        Assert.Equal(run.Id, message.GetProperty("run").GetInt64());
        var lossCe = message.GetProperty("points").GetProperty("Loss_CE")[0];
        Assert.Equal(200, lossCe[0].GetInt64());
        Assert.Equal("NaN", lossCe[1].GetString());
        Assert.Equal(0.5, message.GetProperty("points").GetProperty("Loss_D")[0][1].GetDouble());

        var status = await client.NextAsync("run", m => m.Body.GetProperty("step").GetInt64() == 200, TimeSpan.FromSeconds(10));
        Assert.Equal(200, status.Body.GetProperty("step").GetInt64());
        Assert.Equal("running", status.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task SubscribeAll_announces_new_runs_but_not_their_points()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await LiveHubClient.ConnectAsync(host.BaseAddress);
        await client.InvokeAsync("SubscribeAll");
        await TestHost.AppendAsync(host.LogPath("proj", "new-run.log"), LogLines.Iter(100, 4));

        var announced = await client.NextAsync("run", TimeSpan.FromSeconds(10));
        Assert.Equal("new-run", announced.Body.GetProperty("name").GetString());
        Assert.Equal("proj", announced.Body.GetProperty("project").GetString());
        Assert.False(client.Messages.TryPeek(out var extra) && extra.Target == "points");
    }

    [Fact]
    public async Task Points_of_a_busy_run_are_coalesced_into_few_messages()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Live:CoalesceMs"] = "200" });
        var (log, run) = await host.WriteRunAsync("p", "busy.log", LogLines.Iter(100, 4), untilStep: 100);
        await using var client = await LiveHubClient.ConnectAsync(host.BaseAddress);
        await client.InvokeAsync("Subscribe", run.Id);

        for (var step = 200; step <= 2000; step += 100)
        {
            await TestHost.AppendAsync(log, LogLines.Iter(step, 3));
            await Task.Delay(10);
        }
        var received = new List<long>();
        var messages = 0;
        while (received.Count < 19)
        {
            var message = await client.NextAsync("points", TimeSpan.FromSeconds(10));
            var steps = message.Body.GetProperty("points").GetProperty("Loss_CE").EnumerateArray().Select(p => p[0].GetInt64()).Where(s => s > 100).ToList();
            if (steps.Count == 0)
                continue;
            messages++;
            received.AddRange(steps);
        }
        Assert.Equal(Enumerable.Range(2, 19).Select(i => i * 100L), received);
        Assert.InRange(messages, 1, 10);
    }

    [Fact]
    public async Task A_client_acting_as_a_page_of_another_site_is_refused_and_one_of_this_site_is_served()
    {
        await using var host = await TestHost.StartAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            LiveHubClient.ConnectAsync(host.BaseAddress, options => options.Headers["Origin"] = "http://rebound.example:5000"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The service's own origin, on the negotiation and on the WebSocket alike.
        var (log, run) = await host.WriteRunAsync("p", "origin.log", LogLines.Iter(100, 4), untilStep: 100);
        await using var client = await LiveHubClient.ConnectAsync(host.BaseAddress, options => options.Headers["Origin"] = host.BaseAddress.GetLeftPart(UriPartial.Authority));
        await client.InvokeAsync("Subscribe", run.Id);
        await TestHost.AppendAsync(log, LogLines.Iter(200, 3));
        var points = await client.NextAsync("points", m => m.Body.GetProperty("points").GetProperty("Loss_CE")[0][0].GetInt64() == 200, TimeSpan.FromSeconds(10));
        Assert.Equal(run.Id, points.Body.GetProperty("run").GetInt64());
    }
}
