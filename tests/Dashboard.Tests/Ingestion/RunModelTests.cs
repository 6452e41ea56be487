using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

/// <summary>
/// The run model: an event-file run is its folder (all its event files; add_scalars subfolders as series,
/// an add_hparams subfolder as summary figures), named <c>parent/folder</c>; a file that yields no metric or
/// event is not a run; a stdout log and the structured logs below its folder point at each other.
/// </summary>
public sealed class RunModelTests
{
    private const string TorchFile = "events.out.tfevents.1723754467.trainer-node.4242.0";
    private const string KerasFile = "events.out.tfevents.1723754500.trainer-node.4243.0.v2";

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public async Task Event_files_of_one_folder_and_its_add_scalars_and_add_hparams_subfolders_are_one_run()
    {
        await using var host = await TestHost.StartAsync();
        var run1 = host.LogPath(Path.Combine("tb", "run1"), TorchFile);
        await File.WriteAllBytesAsync(run1, Fixture(TorchFile));
        var run = await host.WaitForRunAsync(r => r.Source == run1);
        // A restart's second file in the same folder, an add_scalars("Loss/train", {"smooth": …}) folder, an add_hparams folder.
        await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(run1)!, KerasFile), Fixture(KerasFile));
        var series = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(run1)!, "Loss_train_smooth")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(series, TorchFile), Fixture(TorchFile));
        var hparams = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(run1)!, "1796396759.1955094")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(hparams, TorchFile), Fixture(TorchFile));

        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Metrics.Any(m => m.Key == "epoch_loss") && d.Metrics.Any(m => m.Key == "Loss/train/smooth") && d.Summary is not null,
            "the second file, the series folder and the hparams folder in the same run");

        Assert.Equal("tb/run1", detail.Run.Name);
        Assert.Equal(20, detail.Metrics.Single(m => m.Key == "Loss/train/smooth").Count);
        Assert.Equal(20, detail.Metrics.Single(m => m.Key == "Loss/train").Count);
        Assert.True(detail.Summary!.ContainsKey("Loss/val"));
        Assert.Single(await host.GetJsonAsync<List<RunSummary>>("/api/runs"));
    }

    [Fact]
    public async Task A_file_that_yields_no_metric_is_no_run_even_beside_a_config_file()
    {
        await using var host = await TestHost.StartAsync();
        // A real Lightning 2.3 version folder whose event file holds hyperparameters only (Fixtures/frameworks/lightning).
        var lightning = Path.Combine(AppContext.BaseDirectory, "Fixtures", "frameworks", "lightning", "version_0");
        foreach (var file in Directory.GetFiles(lightning))
            File.Copy(file, host.LogPath(Path.Combine("exp", "lightning_logs", "version_0"), Path.GetFileName(file)));
        await File.WriteAllTextAsync(host.LogPath("exp", "hparams.yaml"), "lr: 0.001\nmax_steps: 100\n");
        await File.WriteAllTextAsync(host.LogPath("exp", "rc.txt"), "0\n");
        // Files are read in the order they are seen: once this later log is a run, rc.txt has been read.
        var (_, sentinel) = await host.WriteRunAsync("exp", "train.log", "Iter 10/100 | loss: 0.5\n", untilStep: 10);

        var runs = await host.GetJsonAsync<List<RunSummary>>("/api/runs");

        Assert.Equal([sentinel.Id], runs.Select(r => r.Id));
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{sentinel.Id}");
        Assert.NotNull(detail.Config);
    }

    [Fact]
    public async Task Trainer_stdout_gives_metrics_at_the_bar_count_and_its_closing_dict_as_summary()
    {
        await using var host = await TestHost.StartAsync();
        // Lines issue 13 quotes from transformers 5 on a GPU machine (see TransformersStdoutTests).
        var (log, run) = await host.WriteRunAsync("hf", "train.log",
            "\r  5%|▌         | 10/192 [00:00<00:15, 11.6it/s]{'loss': '0.692', 'grad_norm': '0.2613', 'learning_rate': '0.0004766', 'epoch': '0.1562'}\n"
            + "\r  5%|▌         | 10/192 [00:00<00:15, 11.6it/s]\r  6%|▌         | 11/192 [00:00<00:15, 11.6it/s]\n",
            untilStep: 10);
        await TestHost.AppendAsync(log, "\r100%|██████████| 192/192 [00:16<00:00, 11.9it/s]{'train_runtime': '2.217', 'train_loss': '0.3304', 'epoch': '3'}\n");

        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Summary is not null, "the closing dict as summary");

        Assert.Equal(0.3304, (double)detail.Summary!["train_loss"]!);
        Assert.Null(detail.Config);
        Assert.Equal(RunStatus.Finished, detail.Run.Status);
        Assert.Equal(["epoch", "grad_norm", "learning_rate", "loss"], detail.Metrics.Select(m => m.Key));
    }

    [Fact]
    public async Task A_stdout_log_and_the_event_run_below_its_folder_link_to_each_other()
    {
        await using var host = await TestHost.StartAsync();
        var (_, stdout) = await host.WriteRunAsync("exp", "train.log", "Iter 10/100 | loss: 0.5\n", untilStep: 10);
        var events = host.LogPath(Path.Combine("exp", "lightning_logs", "version_0"), TorchFile);
        await File.WriteAllBytesAsync(events, Fixture(TorchFile));
        var tb = await host.WaitForRunAsync(r => r.Source == events);

        var fromStdout = await host.GetJsonAsync<RunDetail>($"/api/runs/{stdout.Id}");
        var fromEvents = await host.GetJsonAsync<RunDetail>($"/api/runs/{tb.Id}");

        Assert.Equal("lightning_logs/version_0", tb.Name);
        Assert.Equal([tb.Id], fromStdout.Related.Select(r => r.Id));
        Assert.Equal([stdout.Id], fromEvents.Related.Select(r => r.Id));
    }
}
