using Dashboard.Core.Configuration;

namespace Dashboard.Core.Tests.Configuration;

public sealed class ConfigMentionTests
{
    [Theory]
    [InlineData("python train.py --config configs/s4gan.yaml --gpu 0", "configs/s4gan.yaml")]
    [InlineData("Namespace(cfg='experiments/r50.yml', lr=0.1)", "experiments/r50.yml")]
    [InlineData("Loaded config from x.yml.", "x.yml")]
    [InlineData("2024-03-01 12:00:00,000 - INFO - config_file: /home/u/runs/exp1/config.yaml", "/home/u/runs/exp1/config.yaml")]
    [InlineData("[03/01 11:59:50 detectron2]: Contents of args.config_file=configs/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml:", "configs/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml")]
    [InlineData("--cfg=\"exp.YAML\"", "exp.YAML")]
    public void Finds_the_yaml_file_a_line_names(string line, string expected)
    {
        Assert.Equal(expected, ConfigMention.FindYaml(line));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Iter 500/50000 | Loss_CE: 2.470")]
    [InlineData("see https://example.com/configs/a.yaml")]
    [InlineData(".yaml")]
    [InlineData("the yaml module is missing")]
    [InlineData("glob configs/*.yaml")]
    public void Lines_naming_no_yaml_file_give_null(string? line)
    {
        Assert.Null(ConfigMention.FindYaml(line));
    }
}
