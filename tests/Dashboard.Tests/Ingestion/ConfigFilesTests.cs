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

    [Fact]
    public async Task Config_files_that_are_links_or_lie_in_linked_folders_leading_out_of_the_run_folder_are_not_read()
    {
        await using var host = await TestHost.StartAsync();
        var folder = Path.GetDirectoryName(host.LogPath("vae", "x.log"))!;
        var outside = Directory.CreateDirectory(Path.Combine(host.Root, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.yaml"), "password: hunter2\n");
        await File.WriteAllTextAsync(Path.Combine(outside, "exp.yaml"), "password: hunter3\n");
        File.CreateSymbolicLink(Path.Combine(folder, "config.yaml"), Path.Combine(outside, "secret.yaml"));
        File.CreateSymbolicLink(Path.Combine(folder, "named.yaml"), Path.Combine(outside, "secret.yaml"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "configs"), outside);
        await File.WriteAllTextAsync(Path.Combine(folder, "hparams.yaml"), "lr: 0.001\n");

        var (_, run) = await host.WriteRunAsync("vae", "train.log",
            "--config configs/exp.yaml\nLoaded config from named.yaml\n" + LogLines.Iter(100, 4), untilStep: 100);

        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(0.001, (double)detail.Config!["hparams.yaml"]!["lr"]!);
        Assert.DoesNotContain("hunter", detail.Config.ToJsonString());
        Assert.False(detail.Config.ContainsKey("config.yaml"));
        Assert.False(detail.Config.ContainsKey("exp.yaml"));
    }
}
