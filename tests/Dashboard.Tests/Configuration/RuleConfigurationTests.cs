using Dashboard.Alerts;
using Dashboard.Core.Rules;
using Dashboard.Tests.Alerts;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Configuration;

public sealed class RuleConfigurationTests
{
    private static async Task<Exception> StartFailureAsync(IReadOnlyDictionary<string, string?> settings, params string[] extraArgs)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-rules-").FullName;
        try
        {
            await using var app = DashboardHost.Build(
                ["--urls", "http://127.0.0.1:0", "--data", Path.Combine(root, "data"), "--watch", Path.Combine(root, "runs"), .. extraArgs], settings);
            return await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_rules_are_refused_at_start_naming_every_bad_key()
    {
        var error = await StartFailureAsync(new Dictionary<string, string?>
        {
            ["Rules:loss-ce-not-learning:Treshold"] = "3",
            ["Rules:my-rule:Kind"] = "Above",
            ["Rules:my-rule:Metrics:0"] = "Loss_G",
            ["Rules:my-rule:Message"] = "too high",
            ["Rules:band-loss-d:Bands:0:Maximum"] = "2",
            ["Rules:loss-spike:Factor"] = "0.5",
            ["Alerts:Webhooks:0:Url"] = "ftp://chat.example/hook",
        });
        var message = Assert.IsType<OptionsValidationException>(error).Message;
        Assert.Contains("Rules:loss-ce-not-learning:Treshold: is not a setting of a rule", message);
        Assert.Contains("Rules:my-rule:Threshold", message);
        Assert.Contains("Rules:band-loss-d:Bands:0:Maximum", message);
        Assert.Contains("Rules:loss-spike:Factor", message);
        Assert.Contains("Alerts:Webhooks:0:Url", message);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_naming_its_key()
    {
        var error = await StartFailureAsync(new Dictionary<string, string?>
        {
            ["Rules:loss-d-high:Kind"] = "Abov",
            ["Rules:loss-d-high:Threshold"] = "one",
            ["Rules:crash:Events:0"] = "Segfault",
        });
        var message = Assert.IsType<OptionsValidationException>(error).Message;
        Assert.Contains("Rules:loss-d-high:Kind: 'Abov' is not one of NonFinite, Above", message);
        Assert.Contains("Rules:loss-d-high:Threshold: 'one' is not a double", message);
        Assert.Contains("Rules:crash:Events:0: 'Segfault' is not one of", message);
    }

    [Fact]
    public async Task A_missing_rules_file_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StartFailureAsync(new Dictionary<string, string?>(), "--rules", "/nonexistent/rules.json"));
        Assert.Contains("/nonexistent/rules.json", error.Message);
    }

    [Fact]
    public async Task A_rules_file_and_settings_change_disable_and_add_rules_by_id()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("dashboard-rules-file-").FullName, "team-rules.json");
        await File.WriteAllTextAsync(file, """
            { "Rules": {
                "loss-d-high": { "Threshold": 2.0 },
                "d-above-one-and-a-half": { "Kind": "Above", "Metrics": ["Loss_D"], "Threshold": 1.5, "Severity": "Critical", "Message": "{metric} above 1.5" }
            } }
            """);
        await using var custom = await TestHost.StartAsync(new Dictionary<string, string?> { ["Rules:loss-d-zero:Enabled"] = "false" }, ["--rules", file]);
        var rules = custom.Services.GetRequiredService<RuleSet>().Rules.ToDictionary(r => r.Id, r => r.Definition);
        // The file changes one parameter; the rest of the guide's rule stays.
        Assert.Equal((2.0, RuleKind.Above), (rules["loss-d-high"].Threshold, rules["loss-d-high"].Kind));
        Assert.Contains("training is unstable", rules["loss-d-high"].Message);
        Assert.DoesNotContain("loss-d-zero", rules.Keys);

        var (_, run) = await custom.WriteRunAsync("gan", "custom.log", AlertLog.Lines(100, 200, s => s == 200 ? 1.8 : 0.4), untilStep: 200);
        var alerts = await TestHost.EventuallyAsync(
            () => custom.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts"), a => a.Count > 0, "the custom rule's alert");
        var alert = Assert.Single(alerts);
        Assert.Equal(("d-above-one-and-a-half", AlertSeverity.Critical), (alert.RuleId, alert.Severity));
    }
}
