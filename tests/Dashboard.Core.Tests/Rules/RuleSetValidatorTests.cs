using Dashboard.Core.Rules;

namespace Dashboard.Core.Tests.Rules;

public sealed class RuleSetValidatorTests
{
    [Fact]
    public void The_shipped_guide_rules_are_valid_and_cover_every_kind()
    {
        Assert.Empty(RuleSetValidator.Validate(RulesHarness.Guide));
        Assert.Equal(Enum.GetValues<RuleKind>().Order(), RulesHarness.Guide.Values.Select(r => r.Kind!.Value).Distinct().Order());
    }

    [Fact]
    public void Every_problem_is_named_by_its_configuration_key()
    {
        var errors = RuleSetValidator.Validate(new Dictionary<string, RuleDefinition>
        {
            ["no-kind"] = new() { Metrics = ["x"], Message = "m" },
            ["spike"] = new() { Kind = RuleKind.Spike, Metrics = ["x"], Factor = 0.5, Window = 1, Message = "m" },
            ["gap"] = new() { Kind = RuleKind.Gap, Metrics = ["train/x"], Message = "" },
            ["band"] = new() { Kind = RuleKind.Band, Metrics = [""], Message = "m", Bands = [new() { FromStep = 10, ToStep = 5 }] },
            ["off"] = new() { Enabled = false },
        });
        Assert.Equal(
            [
                "Rules:band:Bands:0", "Rules:band:Metrics", "Rules:gap:Message", "Rules:gap:Threshold", "Rules:gap:Versus",
                "Rules:no-kind:Kind", "Rules:spike:Factor", "Rules:spike:Window",
            ],
            errors.Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_rule_set_with_errors_cannot_be_built()
    {
        var error = Assert.Throws<ArgumentException>(() => new RuleSet(new Dictionary<string, RuleDefinition> { ["x"] = new() { Kind = RuleKind.Above, Metrics = ["a"], Message = "m" } }));
        Assert.Contains("Rules:x:Threshold", error.Message);
    }
}
