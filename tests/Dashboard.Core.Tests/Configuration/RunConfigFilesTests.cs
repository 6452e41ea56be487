using System.Text.Json.Nodes;
using Dashboard.Core.Configuration;

namespace Dashboard.Core.Tests.Configuration;

public sealed class RunConfigFilesTests
{
    // As Detectron2's cfg.dump() writes it (trimmed).
    private const string Detectron2Config = """
        CUDNN_BENCHMARK: false
        DATALOADER:
          ASPECT_RATIO_GROUPING: true
          NUM_WORKERS: 4
          SAMPLER_TRAIN: TrainingSampler
        DATASETS:
          TEST:
          - coco_2017_val
          TRAIN:
          - coco_2017_train
        MODEL:
          ANCHOR_GENERATOR:
            ASPECT_RATIOS:
            - - 0.5
              - 1.0
              - 2.0
          WEIGHTS: detectron2://ImageNetPretrained/MSRA/R-50.pkl
        OUTPUT_DIR: ./output
        SEED: -1
        SOLVER:
          BASE_LR: 0.02
          IMS_PER_BATCH: 16
          MAX_ITER: 90000
          STEPS:
          - 60000
          - 80000
          WEIGHT_DECAY: 0.0001
        VERSION: 2
        """;

    // As PyTorch Lightning's save_hparams_to_yaml writes it.
    private const string LightningHparams = """
        lr: 0.001
        batch_size: 32
        hidden_dim: 128
        optimizer: adam
        betas: !!python/tuple
        - 0.9
        - 0.999
        scheduler: null
        warmup: ~
        use_amp: True
        max_steps: 50000
        run_name: '123'
        eps: 1.0e-08
        """;

    [Fact]
    public void Detectron2_config_yaml_becomes_a_nested_object_with_typed_values()
    {
        var config = RunConfigFiles.Parse("output/config.yaml", Detectron2Config);

        Assert.NotNull(config);
        Assert.False(config["CUDNN_BENCHMARK"]!.GetValue<bool>());
        Assert.Equal(4, config["DATALOADER"]!["NUM_WORKERS"]!.GetValue<long>());
        Assert.Equal("coco_2017_train", config["DATASETS"]!["TRAIN"]![0]!.GetValue<string>());
        Assert.Equal(2.0, config["MODEL"]!["ANCHOR_GENERATOR"]!["ASPECT_RATIOS"]![0]![2]!.GetValue<double>());
        Assert.Equal(-1, config["SEED"]!.GetValue<long>());
        Assert.Equal(0.02, config["SOLVER"]!["BASE_LR"]!.GetValue<double>());
        Assert.Equal(90000, RunConfigFiles.TotalSteps(config));
    }

    [Fact]
    public void Lightning_hparams_yaml_reads_python_tags_as_plain_values_and_quoted_numbers_as_text()
    {
        var config = RunConfigFiles.Parse("lightning_logs/version_0/hparams.yaml", LightningHparams);

        Assert.NotNull(config);
        Assert.Equal([0.9, 0.999], config["betas"]!.AsArray().Select(n => n!.GetValue<double>()));
        Assert.Null(config["scheduler"]);
        Assert.True(config.ContainsKey("warmup"));
        Assert.True(config["use_amp"]!.GetValue<bool>());
        Assert.Equal("123", config["run_name"]!.GetValue<string>());
        Assert.Equal(1e-08, config["eps"]!.GetValue<double>());
        Assert.Equal(50000, RunConfigFiles.TotalSteps(config));
    }

    [Fact]
    public void Args_json_and_config_json_are_read_leniently()
    {
        var args = RunConfigFiles.Parse("args.json", "{\"lr\": 0.01, \"epochs\": 90, \"arch\": \"resnet50\", \"resume\": null, \"pretrained\": false,}");
        var model = RunConfigFiles.Parse("config.json", "// model\n{\"architectures\": [\"BertForSequenceClassification\"], \"hidden_size\": 768}");

        Assert.Equal(90, args!["epochs"]!.GetValue<int>());
        Assert.Equal(768, model!["hidden_size"]!.GetValue<int>());
    }

    [Fact]
    public void Combine_keys_each_file_by_name_in_a_fixed_order_and_skips_what_does_not_parse()
    {
        var combined = RunConfigFiles.Combine(
        [
            new("args.json", "{\"lr\": 0.01}"),
            new("data.yaml", "path: /data\nnames: [cat, dog]"),
            new("config.yaml", Detectron2Config),
            new("broken.yaml", "a: [1, 2"),
            new("metrics.json", "{\"loss\": 1}"),
            new("train.log", "Iter 1/2 | loss: 1"),
        ]);

        Assert.NotNull(combined);
        Assert.Equal(["config.yaml", "args.json", "data.yaml"], combined.Select(p => p.Key));
        Assert.Equal(90000, RunConfigFiles.TotalSteps(combined));
    }

    [Theory]
    [InlineData("config.yaml", true)]
    [InlineData("runs/exp1/hparams.yaml", true)]
    [InlineData("s4gan.YML", true)]
    [InlineData("args.json", true)]
    [InlineData("config.json", true)]
    [InlineData("metrics.json", false)]
    [InlineData("train.log", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Config_file_names(string? name, bool expected)
    {
        Assert.Equal(expected, RunConfigFiles.IsConfigFileName(name));
    }

    public static TheoryData<string, string?> HostileFiles() => new()
    {
        { "config.yaml", "" },
        { "config.yaml", null },
        { "config.yaml", "- a\n- b" },
        { "config.yaml", "just text" },
        { "config.yaml", "a: [1, 2" },
        { "config.yaml", "a: 1\na: 2\n" },
        { "config.yaml", "a: *missing" },
        { "config.yaml", "\t\tkey: value\n  - x" },
        { "config.yaml", string.Concat(Enumerable.Repeat("[", 100_000)) },
        { "config.yaml", string.Concat(Enumerable.Repeat("- ", 100_000)) + "x" },
        { "config.yaml", string.Join('\n', Enumerable.Range(0, 2000).Select(i => new string(' ', i) + "k" + i + ":")) },
        { "config.yaml", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n" },
        { "config.yaml", "\u0000\u0001\uFFFD\uFFFE binary" },
        { "args.json", "[1, 2, 3]" },
        { "args.json", "{\"a\": " },
        { "args.json", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) },
        { "config.json", "NaN" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Hostile_file_gives_null_and_never_throws(string name, string? content)
    {
        Assert.Null(RunConfigFiles.Parse(name, content));
    }

    [Fact]
    public void Aliases_are_expanded_within_the_budget()
    {
        var config = RunConfigFiles.Parse("config.yaml", "base: &base {lr: 0.1, wd: 0.0001}\ntrain: *base\n");

        Assert.Equal(0.1, config!["train"]!["lr"]!.GetValue<double>());
    }

    [Fact]
    public void Special_floats_are_kept_as_python_literal_strings()
    {
        var config = RunConfigFiles.Parse("config.yaml", "a: .nan\nb: .inf\nc: -.inf\nd: 1e400\ne: 0x1F\nf: 12:30");

        Assert.Equal(["NaN", "Infinity", "-Infinity", "1e400", "0x1F", "12:30"], config!.Select(p => p.Value!.GetValue<string>()));
        Assert.IsType<JsonObject>(config);
    }
}
