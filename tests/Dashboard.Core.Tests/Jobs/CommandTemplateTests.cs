using Dashboard.Core.Jobs;

namespace Dashboard.Core.Tests.Jobs;

public sealed class CommandTemplateTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["checkpoint"] = "/runs/a/; rm -rf x $(id).pth",
        ["output"] = "/data/jobs/4",
        ["run_dir"] = "/runs/a",
        ["step"] = "5000",
        ["config"] = "/data/jobs/4/run_config.json",
    };

    [Fact]
    public void Each_entry_stays_one_argument_whatever_the_values_hold()
    {
        var command = CommandTemplate.Expand(["python3", "eval.py", "--ckpt", "{checkpoint}", "--out={output}", "{run_dir}/data", "{step}", "{config}"], Values);

        Assert.Equal(["python3", "eval.py", "--ckpt", "/runs/a/; rm -rf x $(id).pth", "--out=/data/jobs/4", "/runs/a/data", "5000", "/data/jobs/4/run_config.json"], command);
    }

    [Fact]
    public void A_placeholder_without_a_value_becomes_empty_and_values_are_not_expanded_again()
    {
        var command = CommandTemplate.Expand(["--step={step}", "{checkpoint}"], new Dictionary<string, string> { ["checkpoint"] = "{step}.pth" });

        Assert.Equal(["--step=", "{step}.pth"], command);
    }

    [Fact]
    public void Unknown_placeholders_are_reported_once_each()
    {
        Assert.Equal(["chekpoint", "gpu"], CommandTemplate.UnknownPlaceholders(["{chekpoint}", "{gpu}", "{chekpoint}", "{output}", "{}"]));
        Assert.Empty(CommandTemplate.UnknownPlaceholders(["python3", "{checkpoint}", "{output}", "{run_dir}", "{step}", "{config}", "{ not one }"]));
    }
}
