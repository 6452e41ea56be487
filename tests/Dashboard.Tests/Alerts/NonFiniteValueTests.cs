using System.Text.Json;
using AngleSharp.Html.Parser;
using Dashboard.Alerts;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Alerts;

/// <summary>SQLite cannot hold NaN: the value that raised a non-finite alert must still read as what it was.</summary>
public sealed class NonFiniteValueTests
{
    private static readonly HtmlParser Parser = new();

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public async Task A_non_finite_loss_raises_an_alert_whose_value_reads_as_such_in_the_api_the_pages_and_the_webhook(double loss, string expected)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Alerts:Webhooks:0:Url"] = receiver.Url });
        var (_, run) = await host.WriteRunAsync("gan", "crashed.log", AlertLog.Lines(100, 200, s => s == 200 ? loss : 0.4), untilStep: 200);

        var raw = await TestHost.EventuallyAsync(
            async () => JsonDocument.Parse(await host.Http.GetStringAsync($"/api/alerts?rule=loss-nonfinite&run={run.Id}")).RootElement,
            a => a.GetArrayLength() == 1, "the non-finite alert");
        Assert.Equal(expected, raw[0].GetProperty("value").GetString());
        var alert = Assert.Single(await host.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts"), a => a.RuleId == "loss-nonfinite");
        Assert.Equal<double?>(loss, alert.Value);

        var alertsPage = Parser.ParseDocument(await host.Http.GetStringAsync("/alerts?rule=loss-nonfinite"));
        Assert.Equal(expected, alertsPage.QuerySelector($"#alerts-body tr[data-alert-id='{alert.Id}'] [data-field='value']")!.TextContent);
        var runPage = Parser.ParseDocument(await host.Http.GetStringAsync($"/runs/{run.Id}"));
        Assert.Equal(expected, runPage.QuerySelector($"#alert-banner [data-alert-id='{alert.Id}'] [data-field='value']")!.TextContent);

        var delivered = await TestHost.EventuallyAsync(
            () => Task.FromResult(receiver.Delivered.Where(d => d.GetProperty("alert").GetProperty("ruleId").GetString() == "loss-nonfinite").ToArray()),
            d => d.Length == 1, "the non-finite alert at the webhook");
        Assert.Contains($"(from step 200, value {expected})", delivered[0].GetProperty("text").GetString());
        Assert.Equal(expected, delivered[0].GetProperty("alert").GetProperty("value").GetString());
    }
}
