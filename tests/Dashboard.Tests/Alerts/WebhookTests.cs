using Dashboard.Tests.Support;

namespace Dashboard.Tests.Alerts;

public sealed class WebhookTests
{
    [Fact]
    public async Task A_raise_and_a_resolve_reach_the_webhook_once_each_after_retries()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Webhooks:0:Url"] = receiver.Url,
            ["Alerts:RetryDelayMs"] = "20",
        });
        var (log, _) = await host.WriteRunAsync("gan", "<!channel> run.log", AlertLog.Lines(100, 200, s => s == 200 ? 1.5 : 0.4), untilStep: 200);
        await TestHost.AppendAsync(log, AlertLog.Lines(300, 300, _ => 0.4));

        await TestHost.EventuallyAsync(() => Task.FromResult(receiver.Delivered.ToArray()), d => d.Length >= 2, "a raise and a resolve at the webhook");
        // Webhooks are sent one after another: once a later alert arrives, no repeat of the first two can follow.
        await TestHost.AppendAsync(log, AlertLog.Lines(400, 400, _ => 1.5));
        var all = await TestHost.EventuallyAsync(() => Task.FromResult(receiver.Delivered.ToArray()), d => d.Length >= 3, "the later raise at the webhook");
        Assert.Equal(3, all.Length);
        Assert.Equal(5, receiver.Calls);
        var delivered = all[..2];
        Assert.Equal(["raised", "resolved"], delivered.Select(d => d.GetProperty("event").GetString()));
        Assert.All(delivered, d => Assert.Equal("loss-d-high", d.GetProperty("alert").GetProperty("ruleId").GetString()));
        var text = delivered[0].GetProperty("text").GetString()!;
        Assert.Contains("Loss_D is above 1.0", text);
        Assert.Contains("&lt;!channel&gt; run", text);
        Assert.DoesNotContain("<!channel>", text);
        Assert.Contains($"{host.BaseAddress.ToString().TrimEnd('/')}/runs/", text);
    }

    [Fact]
    public async Task A_webhook_that_never_answers_does_not_hold_up_ingestion()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            // Nothing listens on port 9 (discard): every attempt fails.
            ["Alerts:Webhooks:0:Url"] = "http://127.0.0.1:9/hook",
            ["Alerts:RetryDelayMs"] = "5000",
        });
        var (log, run) = await host.WriteRunAsync("gan", "slow.log", AlertLog.Lines(100, 200, s => s == 200 ? 1.5 : 0.4), untilStep: 200);
        await TestHost.AppendAsync(log, AlertLog.Lines(300, 3000, s => s % 200 == 0 ? 1.5 : 0.4));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 3000, timeoutMs: 5000);
    }
}
