using System.Text;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

/// <summary>What happens to log files in real life; none of it may lose or repeat a point, or stop the service.</summary>
public sealed class FileMishapsTests
{
    [Fact]
    public async Task Copytruncate_rotation_continues_the_run_and_the_copy_is_not_a_new_run()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "ct.log", LogLines.IterRange(100, 500), untilStep: 500);

        // Live: the copy holds nothing unread; the truncated file goes on from its start.
        File.Copy(log, log + ".1");
        await using (new FileStream(log, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite)) { }
        await TestHost.AppendAsync(log, LogLines.IterRange(600, 700));
        await WaitForStepsAsync(host, run.Id, Steps(100, 700));

        // While down, with lines the service never read: they are read from the copy, then the new file.
        await host.StopAsync();
        await TestHost.AppendAsync(log, LogLines.IterRange(800, 900));
        File.Copy(log, log + ".1", overwrite: true);
        await using (new FileStream(log, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite)) { }
        await TestHost.AppendAsync(log, LogLines.Iter(1000, 2.0));
        await host.RestartAsync();
        await WaitForStepsAsync(host, run.Id, Steps(100, 1000));
        await AssertSingleRunAsync(host);
    }

    [Fact]
    public async Task Rename_rotation_reads_the_old_tail_and_continues_in_the_new_file()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "rot.log", LogLines.IterRange(100, 300), untilStep: 300);

        // Live: a last line lands just before the rename; read from x.log.1 or x.log, it counts once.
        await TestHost.AppendAsync(log, LogLines.Iter(400, 3.0));
        File.Move(log, log + ".1");
        await TestHost.AppendAsync(log, LogLines.Iter(500, 2.9));
        await WaitForStepsAsync(host, run.Id, Steps(100, 500));

        // The writer keeps writing to the renamed file until it reopens: followed while the new one is empty.
        File.Move(log, log + ".1", overwrite: true);
        await File.WriteAllBytesAsync(log, []);
        await TestHost.AppendAsync(log + ".1", LogLines.Iter(600, 2.8));
        await WaitForStepsAsync(host, run.Id, Steps(100, 600));
        await TestHost.AppendAsync(log, LogLines.Iter(700, 2.7));
        await WaitForStepsAsync(host, run.Id, Steps(100, 700));

        // While down: x.log.1 → x.log.2, x.log (with an unread line) → x.log.1, a new x.log.
        await host.StopAsync();
        await TestHost.AppendAsync(log, LogLines.Iter(800, 2.6));
        File.Move(log + ".1", log + ".2", overwrite: true);
        File.Move(log, log + ".1");
        await TestHost.AppendAsync(log, LogLines.Iter(900, 2.5));
        await host.RestartAsync();
        await WaitForStepsAsync(host, run.Id, Steps(100, 900));
        await AssertSingleRunAsync(host);
    }

    [Fact]
    public async Task File_replaced_under_the_same_name_is_read_from_its_start_into_the_same_run()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "again.log", "first attempt\n" + LogLines.IterRange(100, 300), untilStep: 300);

        // While down, the training is started again and writes a new, longer log under the same name:
        // it must be read from its start, not from the old file's offset.
        await host.StopAsync();
        File.Delete(log);
        await TestHost.AppendAsync(log, "second attempt, with a longer first line than before\n" + Lines(100, 800, 1.5));
        await host.RestartAsync();
        var series = await WaitForStepsAsync(host, run.Id, Steps(100, 800));
        Assert.All(series.Points, p => Assert.True(p.Value < 2, $"step {p.Step} kept the old value {p.Value}"));

        // Live: replaced again by a new file; its steps restart, so the later values win.
        var replacement = log + ".new";
        await File.WriteAllTextAsync(replacement, "third attempt\n" + Lines(100, 200, 0.5));
        File.Move(replacement, log, overwrite: true);
        await TestHost.EventuallyAsync(() => host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss_CE"),
            s => s.Points.Count == 2 && s.Points.All(p => p.Value < 1), "the third attempt's points replacing the second's");
        await AssertSingleRunAsync(host);
    }

    [Fact]
    public async Task Log_rewritten_in_place_while_down_with_the_same_first_kilobyte_is_read_from_its_start()
    {
        await using var host = await TestHost.StartAsync();
        // The same trainer prints the same long configuration first; `open(path, "w")` keeps the inode.
        var config = "{'trainer': {'train_num_steps': 50000, 'notes': '" + new string('c', 1500) + "'}}\n";
        var (log, run) = await host.WriteRunAsync("p", "rerun.log", config + Lines(100, 300, 3.5), untilStep: 300);
        await host.StopAsync();
        await using (var rewrite = new FileStream(log, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
            await rewrite.WriteAsync(Encoding.UTF8.GetBytes(config + Lines(100, 900, 1.5)));
        await host.RestartAsync();
        var series = await WaitForStepsAsync(host, run.Id, Steps(100, 900));
        Assert.All(series.Points, p => Assert.Equal(1.5, p.Value));
        await AssertSingleRunAsync(host);
    }

    [Fact]
    public async Task Deleted_log_keeps_its_run_and_a_new_file_under_its_name_continues_it()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "gone.log", LogLines.IterRange(100, 300), untilStep: 300);
        File.Delete(log);
        // The deletion's event is handled before the sentinel's: the run has seen its file go.
        await Ingested.SentinelAsync(host);
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(3, detail.Metrics.Single(m => m.Key == "Loss_CE").Count);

        await TestHost.AppendAsync(log, LogLines.IterRange(400, 500));
        await WaitForStepsAsync(host, run.Id, Steps(100, 500));
        await AssertSingleRunAsync(host);
    }

    [Fact]
    public async Task NUL_blocks_are_skipped_counted_and_shown_and_the_lines_around_them_kept()
    {
        await using var host = await TestHost.StartAsync();
        var log = host.LogPath("p", "crashed.log");
        await TestHost.AppendAsync(log, LogLines.Iter(100, 4));
        // A crash of the writing machine leaves zero-filled blocks; the trainer then appends after them.
        await AppendBytesAsync(log, new byte[4096]);
        await TestHost.AppendAsync(log, LogLines.Iter(200, 3));
        await AppendBytesAsync(log, new byte[600 * 1024]);
        await TestHost.AppendAsync(log, LogLines.Iter(300, 2));
        var run = await host.WaitForRunAsync(r => r.Source == log && r.Step == 300);
        await WaitForStepsAsync(host, run.Id, [100, 200, 300]);
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(4096 + 600 * 1024, detail.SkippedBytes);

        var page = await host.Http.GetStringAsync($"/runs/{run.Id}");
        Assert.Contains($"{4096 + 600 * 1024} bytes skipped", page);
    }

    [Fact]
    public async Task Invalid_UTF8_mojibake_and_CRLF_lose_no_point_and_invalid_bytes_are_counted()
    {
        await using var host = await TestHost.StartAsync();
        var log = host.LogPath("p", "bytes.log");
        await TestHost.AppendAsync(log, LogLines.Iter(100, 4).Replace("\n", "\r\n", StringComparison.Ordinal));
        await AppendBytesAsync(log, [.. Encoding.UTF8.GetBytes("Iter 200/50000 | Loss_CE: 3.000 | note: "), 0xff, 0xc3, 0x28, (byte)'\n']);
        await TestHost.AppendAsync(log, "‚úì New best validation mIoU: 0.3201 (previous: 0.3100)\r\n" + LogLines.Iter(300, 2));
        var run = await host.WaitForRunAsync(r => r.Source == log && r.Step == 300);
        var series = await WaitForStepsAsync(host, run.Id, [100, 200, 300]);
        Assert.Equal([4.0, 3.0, 2.0], series.Points.Select(p => p.Value));
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(2, detail.SkippedBytes);
        Assert.DoesNotContain(detail.Metrics, m => m.Key.Contains("best", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Ten_megabyte_line_is_skipped_and_counted_and_the_lines_around_it_kept()
    {
        await using var host = await TestHost.StartAsync();
        var log = host.LogPath("p", "huge.log");
        var huge = 10 << 20;
        await TestHost.AppendAsync(log, LogLines.Iter(100, 4) + new string('x', huge) + "\n" + LogLines.Iter(200, 3));
        // A long line written in pieces: its start is skipped before its end arrives.
        await TestHost.AppendAsync(log, new string('y', 2 << 20));
        // Consumed and skipped (the offset passes it) before the rest of the line is written.
        await Ingested.ReadToEndAsync(host, log, 20_000);
        await TestHost.AppendAsync(log, new string('y', 1 << 20) + "\n" + LogLines.Iter(300, 2));
        var run = await host.WaitForRunAsync(r => r.Source == log && r.Step == 300, 20_000);
        await WaitForStepsAsync(host, run.Id, [100, 200, 300]);
        var detail = await host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.Equal(huge + 1 + (3 << 20) + 1, detail.SkippedBytes);
    }

    private static string Lines(long from, long to, double value) =>
        string.Concat(Steps(from, to).Select(step => LogLines.Iter(step, value)));

    internal static long[] Steps(long from, long to) => [.. Enumerable.Range(0, (int)((to - from) / 100) + 1).Select(i => from + i * 100L)];

    internal static async Task<MetricSeries> WaitForStepsAsync(TestHost host, long runId, long[] steps)
    {
        try
        {
            return await TestHost.EventuallyAsync(() => host.GetJsonAsync<MetricSeries>($"/api/runs/{runId}/metrics/Loss_CE"),
                s => s.Points.Select(p => p.Step).SequenceEqual(steps), $"Loss_CE at steps {string.Join(",", steps)}", 15_000);
        }
        catch (TimeoutException)
        {
            var series = await host.GetJsonAsync<MetricSeries>($"/api/runs/{runId}/metrics/Loss_CE");
            throw new TimeoutException($"Expected steps {string.Join(",", steps)}, got {string.Join(",", series.Points.Select(p => p.Step))}");
        }
    }

    /// <summary>
    /// One run besides the sentinels: a new log written now is a run only after every file event before it
    /// was handled, so a rotated copy (x.log.1) that had become a run would be listed by then.
    /// </summary>
    internal static async Task AssertSingleRunAsync(TestHost host)
    {
        await Ingested.SentinelAsync(host);
        var runs = (await host.GetJsonAsync<List<RunSummary>>("/api/runs")).Where(r => r.Project != "zz-sentinel").ToList();
        Assert.True(runs.Count == 1, $"expected one run, got: {string.Join(", ", runs.Select(r => r.Source))}");
    }

    private static async Task AppendBytesAsync(string path, byte[] bytes)
    {
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        await stream.WriteAsync(bytes);
    }
}
