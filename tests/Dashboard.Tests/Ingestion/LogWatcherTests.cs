using System.Text.Json.Nodes;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

public sealed class LogWatcherTests
{
    [Fact]
    public async Task Growing_S4GAN_log_is_followed_through_the_API()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "train.log", LogLines.Iter(100, 4.5) + LogLines.Iter(200, 4.25), untilStep: 200);
        Assert.Equal("train", run.Name);
        Assert.Equal("S4GAN_Train", run.Project);
        Assert.Equal(log, run.Source);
        Assert.Equal(50_000, run.TotalSteps);
        Assert.Equal(RunStatus.Running, run.Status);

        await TestHost.AppendAsync(log, LogLines.Iter(300, 3.875));
        var series = await TestHost.EventuallyAsync(
            () => host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE"),
            s => s.Points.Count == 3, "the third Loss_CE point");
        Assert.Equal([100L, 200, 300], series.Points.Select(p => p.Step));
        Assert.Equal([4.5, 4.25, 3.875], series.Points.Select(p => p.Value));
    }

    [Fact]
    public async Task Partial_last_line_waits_for_its_newline()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "partial.log", LogLines.Iter(100, 4.5) + "Iter 200/50000 | Loss_CE: 4.2", untilStep: 100);
        // One write put both in the file, and the read that committed step 100 stopped at its newline.
        Assert.Equal(LogLines.Iter(100, 4.5).Length, await Ingested.StoredOffsetAsync(host, log));
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Single(series.Points);

        await TestHost.AppendAsync(log, "50 | Loss_FM: 0.037\n");
        series = await TestHost.EventuallyAsync(
            () => host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE"),
            s => s.Points.Count == 2, "the completed line");
        Assert.Equal(4.25, series.Points[1].Value);
    }

    [Fact]
    public async Task NaN_and_infinity_are_stored_and_served_as_strings()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "nan.log", LogLines.Iter(100, 4.5) + "Iter 200/1000 | Loss_CE: nan | Loss_D: inf\nIter 300/1000 | Loss_CE: 3.0 | Loss_D: -inf\n", untilStep: 300);

        var raw = await host.Http.GetStringAsync($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Contains("[200,\"NaN\",", raw);
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        var lossD = detail.Metrics.Single(m => m.Key == "Loss_D");
        Assert.Equal(double.PositiveInfinity, lossD.Max!.Value);
        Assert.Equal(double.NegativeInfinity, lossD.Min!.Value);
        var lossCe = detail.Metrics.Single(m => m.Key == "Loss_CE");
        Assert.Equal(3, lossCe.Count);
        Assert.Equal(new StepValue(300, 3.0), lossCe.Min);
    }

    [Fact]
    public async Task Training_log_with_config_dict_keeps_nested_config_and_timestamps()
    {
        await using var host = await TestHost.StartAsync();
        var log = host.LogPath("RadioDiff", "2025-08-15-20-41_.log");
        await TestHost.AppendAsync(log,
            "{'model': {'embed_dim': 3, 'ddconfig': {'double_z': True, 'ch_mult': (1, 2, 4)}}, 'trainer': {'batch_size': 2, 'lr': 5e-06, 'train_num_steps': 150000}}\n" +
            "2025-08-15 20:41:07,123 [Train Step] 35000/150000: train/total_loss: 1916.70959, train/kl_loss: 143662.89062, lr: 0.00000, \n" +
            "2025-08-15 20:41:25,456 [Train Step] 35100/150000: train/total_loss: 2660.53979, train/kl_loss: 149167.46875, lr: 0.00000, \n");
        var run = await host.WaitForRunAsync(r => r.Step == 35100);
        Assert.Equal(150_000, run.TotalSteps);

        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(3, (int)detail.Config!["model"]!["embed_dim"]!);
        Assert.True((bool)detail.Config["model"]!["ddconfig"]!["double_z"]!);
        Assert.Equal([1, 2, 4], detail.Config["model"]!["ddconfig"]!["ch_mult"]!.AsArray().Select(n => (int)n!));

        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/train%2Ftotal_loss");
        var expected = new DateTimeOffset(new DateTime(2025, 8, 15, 20, 41, 7, 123, DateTimeKind.Local)).ToUnixTimeMilliseconds();
        Assert.Equal(expected, series.Points[0].UnixMs);
        Assert.Equal(1916.70959, series.Points[0].Value);
    }

    [Fact]
    public async Task Evaluation_block_values_belong_to_its_iteration()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "eval.log", LogLines.IterRange(100, 500) +
            "============================================================\nEvaluating at iteration 500...\n" +
            "============================================================\nTraining mIoU: 0.3523\n", untilStep: 500);
        await TestHost.AppendAsync(log, "Validation mIoU: 0.3201\n✓ New best validation mIoU: 0.3201 (previous: 0.3100)\n" +
            "============================================================\n" + LogLines.Iter(600, 3.0));

        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Run.Step == 600, "the line after the evaluation block");
        Assert.Equal(new StepValue(500, 0.3523), detail.Metrics.Single(m => m.Key == "train/mIoU").Last);
        Assert.Equal(new StepValue(500, 0.3201), detail.Metrics.Single(m => m.Key == "val/mIoU").Last);
        Assert.DoesNotContain(detail.Metrics, m => m.Key.Contains("best", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Restart_resumes_from_the_stored_offset_without_duplicates()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "resume.log", LogLines.IterRange(100, 1000) + "Evaluating at iteration 1000...\nTraining mIoU: 0.41\n", untilStep: 1000);
        await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Metrics.Any(m => m.Key == "train/mIoU"), "the training mIoU");

        await host.StopAsync();
        await TestHost.AppendAsync(log, "Validation mIoU: 0.40\n" + LogLines.IterRange(1100, 1500));
        await host.RestartAsync();

        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Run.Step == 1500, "the lines written while the service was down");
        Assert.Equal(15, detail.Metrics.Single(m => m.Key == "Loss_CE").Count);
        Assert.Equal(new StepValue(1000, 0.40), detail.Metrics.Single(m => m.Key == "val/mIoU").Last);
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal(Enumerable.Range(1, 15).Select(i => i * 100L), series.Points.Select(p => p.Step));
        Assert.Single(await host.GetJsonAsync<List<RunSummary>>("/api/runs"));
    }

    [Fact]
    public async Task Step_going_back_is_a_resume_and_later_values_win()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "rewind.log", LogLines.IterRange(100, 800), untilStep: 800);

        await TestHost.AppendAsync(log, LogLines.Iter(500, 1.5) + LogLines.Iter(600, 1.25));
        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Run.Step == 600, "the resumed steps");
        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal([100L, 200, 300, 400, 500, 600], series.Points.Select(p => p.Step));
        Assert.Equal([1.5, 1.25], series.Points.Skip(4).Select(p => p.Value));
        var summary = detail.Metrics.Single(m => m.Key == "Loss_CE");
        Assert.Equal(6, summary.Count);
        Assert.Equal(new StepValue(600, 1.25), summary.Last);
    }

    [Fact]
    public async Task A_resume_inside_one_read_keeps_the_points_before_it_and_rewrites_from_its_step()
    {
        await using var host = await TestHost.StartAsync();
        var (_, run) = await host.WriteRunAsync("p", "rewind-inside.log",
            LogLines.IterRange(100, 800) + LogLines.Iter(500, 1.5) + LogLines.Iter(600, 1.25) + LogLines.Iter(700, 1.125), untilStep: 700);

        var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE");
        Assert.Equal([100L, 200, 300, 400, 500, 600, 700], series.Points.Select(p => p.Step));
        Assert.Equal([1.5, 1.25, 1.125], series.Points.Skip(4).Select(p => p.Value));
        Assert.Equal(7, (await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}")).Metrics.Single(m => m.Key == "Loss_CE").Count);
    }

    [Fact]
    public async Task New_files_and_folders_are_picked_up_while_running()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.AppendAsync(host.LogPath("first", "a.log"), LogLines.Iter(100, 4));
        await host.WaitForRunAsync(r => r.Project == "first");
        await TestHost.AppendAsync(host.LogPath(Path.Combine("deep", "er", "second"), "b.txt"), LogLines.Iter(100, 4));
        await host.WaitForRunAsync(r => r.Project == "second");
        File.WriteAllText(host.LogPath("first", "notes.md"), LogLines.Iter(100, 4));
        // A log written after notes.md, in the same folder, is a run only once notes.md's event was handled.
        await Ingested.SentinelAsync(host, "first");
        Assert.Equal(3, (await host.GetJsonAsync<List<RunSummary>>("/api/runs")).Count);
        Assert.DoesNotContain(await host.GetJsonAsync<List<RunSummary>>("/api/runs"), r => r.Source.EndsWith("notes.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Garbage_lines_are_skipped_and_the_points_around_them_kept()
    {
        await using var host = await TestHost.StartAsync();
        var log = host.LogPath("p", "garbage.log");
        var garbage = new byte[] { 0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, (byte)'\n' };
        await TestHost.AppendAsync(log, LogLines.Iter(100, 4) + "Traceback? no. }}}{{{ Iter abc/def | : | =\n");
        await using (var stream = new FileStream(log, FileMode.Append))
            await stream.WriteAsync(garbage);
        await TestHost.AppendAsync(log, "Warning: something odd\r\n" + LogLines.Iter(200, 3).Replace("\n", "\r\n"));
        var run = await host.WaitForRunAsync(r => r.Step == 200);
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(["Loss_CE", "Loss_D", "Loss_FM", "Loss_ST", "ST_Count"], detail.Metrics.Select(m => m.Key));
        Assert.All(detail.Metrics, m => Assert.Equal(2, m.Count));
    }
}
