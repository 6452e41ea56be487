using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

public sealed class ConfigFilesTests
{
    [Fact]
    public async Task Config_files_beside_the_log_join_the_logged_config()
    {
        await using var host = await TestHost.StartAsync();
        var folder = Path.GetDirectoryName(host.LogPath("mmseg", "x.log"))!;
        await File.WriteAllTextAsync(Path.Combine(folder, "config.yaml"), "model:\n  backbone: resnet50\n  depth: 50\ntrain:\n  max_iters: 40000\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "args.json"), """{"seed": 7, "amp": true}""");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.yaml"), ": : not yaml [");

        var (_, run) = await host.WriteRunAsync("mmseg", "train.log", "{'lr': 0.01}\nstep 100 loss=0.5\n", untilStep: 100);

        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(40_000, detail.Run.TotalSteps);
        Assert.Equal(0.01, (double)detail.Config!["lr"]!);
        Assert.Equal("resnet50", (string)detail.Config["config.yaml"]!["model"]!["backbone"]!);
        Assert.Equal(7, (int)detail.Config["args.json"]!["seed"]!);
        Assert.False(detail.Config.ContainsKey("notes.yaml"));
    }

    [Fact]
    public async Task A_yaml_file_the_log_names_is_read_only_from_the_log_folder()
    {
        await using var host = await TestHost.StartAsync();
        var folder = Path.GetDirectoryName(host.LogPath("s4gan", "x.log"))!;
        Directory.CreateDirectory(Path.Combine(folder, "configs"));
        await File.WriteAllTextAsync(Path.Combine(folder, "configs", "s4gan_run.yml"), "learning_rate: 0.00025\nthreshold_st: 0.2\n");
        var secret = Path.Combine(host.Root, "secret.yaml");
        await File.WriteAllTextAsync(secret, "password: hunter2\n");

        var (_, run) = await host.WriteRunAsync("s4gan", "train.log",
            "Loaded config from configs/s4gan_run.yml\n" +
            "Also merging --config ../../secret.yaml and /etc/missing.yaml\n" +
            LogLines.Iter(100, 4), untilStep: 100);

        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(0.2, (double)detail.Config!["s4gan_run.yml"]!["threshold_st"]!);
        Assert.DoesNotContain("hunter2", detail.Config.ToJsonString());
        Assert.False(detail.Config.ContainsKey("secret.yaml"));
    }
}
