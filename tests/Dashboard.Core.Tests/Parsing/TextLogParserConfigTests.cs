using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class TextLogParserConfigTests
{

    [Fact]
    public void Config_dict_line_is_captured_as_nested_json_with_total_steps()
    {
        var records = Parse(TrainerConfig);

        Assert.NotNull(records.Config);
        Assert.Equal(150000, records.Config["trainer"]!["train_num_steps"]!.GetValue<long>());
        Assert.Equal("[1,2,4]", records.Config["model"]!["ddconfig"]!["ch_mult"]!.ToJsonString());
        Assert.Equal(150000, records.TotalSteps);
        Assert.Equal(new RunEvent(RunEventKind.ConfigCaptured, null, Now, "Configuration captured: model, trainer"), Assert.Single(records.Events));
        Assert.Empty(records.Points);
    }

    [Fact]
    public void Config_total_steps_survive_in_the_parser_state()
    {
        var parser = new TextLogParser();
        parser.ParseLine(TrainerConfig, Now, new ParsedRecords());

        Assert.Equal(150000, parser.State.TotalSteps);
    }

    [Theory]
    [InlineData("{'optim': {'max_steps': 1000}}", 1000L)]
    [InlineData("{'runs': [{'total_iters': 30000}]}", 30000L)]
    [InlineData("{'num_iterations': 40000.0}", 40000L)]
    [InlineData("{'sampler': {'num_steps': 50}, 'trainer': {'max_iter': 9000}}", 9000L)]
    [InlineData("{'max_steps': -1, 'name': 'x'}", null)]
    [InlineData("{'max_steps': 'auto'}", null)]
    public void Config_total_steps_come_from_a_positive_integer_under_a_known_key(string config, long? totalSteps)
    {
        var records = Parse(config);

        Assert.NotNull(records.Config);
        Assert.Equal(totalSteps, records.TotalSteps);
    }

    [Fact]
    public void Config_dict_after_a_timestamp_is_captured_too()
    {
        var records = Parse("2025-08-15 20:00:00,000 {'lr': 0.001, 'name': 'run'}");

        Assert.Equal(0.001, records.Config!["lr"]!.GetValue<double>());
    }

    [Fact]
    public void Printed_dict_of_numbers_with_its_own_step_is_metrics_not_config()
    {
        var records = Parse("{'loss': 0.5, 'grad_norm': nan, 'step': 100}");

        Assert.Null(records.Config);
        Assert.Equal([("loss", 100, 0.5), ("grad_norm", 100, double.NaN)], records.Points.Select(p => (p.Key, p.Step, p.Value)));
    }

    [Fact]
    public void Printed_dict_of_numbers_with_a_fractional_epoch_is_metrics_at_the_epoch_in_thousandths()
    {
        var records = Parse("{'loss': 2.3456, 'learning_rate': 4.9e-05, 'epoch': 0.01}");

        Assert.Null(records.Config);
        Assert.Equal([new MetricPoint("loss", 10, 2.3456, Now), new MetricPoint("learning_rate", 10, 4.9e-05, Now)], records.Points);
    }

    [Fact]
    public void Unparseable_braces_line_is_no_config()
    {
        var records = Parse("{'model': {'embed_dim': 3}");

        Assert.True(records.IsEmpty);
    }
}
