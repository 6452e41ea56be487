using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

/// <summary>JSON lines, CSV and TensorBoard event files are tailed live like text logs.</summary>
public sealed class StructuredLogTests
{
    [Fact]
    public async Task TensorBoard_event_file_written_in_two_parts_is_followed()
    {
        await using var host = await TestHost.StartAsync();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "events.out.tfevents.1723754467.trainer-node.4242.0"));
        var path = host.LogPath("tb_run", "events.out.tfevents.1723754467.trainer-node.4242.0");
        var half = bytes.Length / 2 + 3;
        await File.WriteAllBytesAsync(path, bytes[..half]);
        var run = await host.WaitForRunAsync(r => r.Source == path);

        await using (var stream = new FileStream(path, FileMode.Append))
            await stream.WriteAsync(bytes.AsMemory(half));
        var detail = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{run.Id}"),
            d => d.Metrics.FirstOrDefault(m => m.Key == "Loss/train")?.Count == 20, "all 20 Loss/train scalars");
        Assert.Equal(4, detail.Metrics.Single(m => m.Key == "Loss/val").Count);
        var loss = await host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/Loss%2Ftrain");
        Assert.True(double.IsNaN(loss.Points.Single(p => p.Step == 13).Value));
        Assert.Equal(2.0f, (float)loss.Points[0].Value);
        Assert.Equal(0, detail.SkippedBytes);
        Assert.DoesNotContain(detail.Metrics, m => m.Key.StartsWith("weights", StringComparison.Ordinal) || m.Key.StartsWith("samples", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_lines_and_csv_logs_become_runs_with_their_metrics()
    {
        await using var host = await TestHost.StartAsync();
        var (_, jsonRun) = await host.WriteRunAsync("hf", "trainer_log.jsonl",
            "{\"step\": 10, \"train\": {\"loss\": 0.9, \"lr\": 0.001}}\n{\"step\": 20, \"train\": {\"loss\": NaN, \"lr\": 0.0009}}\n", untilStep: 20);
        var json = await host.GetJsonAsync<RunDetail>($"/api/runs/{jsonRun.Id}");
        Assert.Equal(["train/loss", "train/lr"], json.Metrics.Select(m => m.Key));
        Assert.True(double.IsNaN(json.Metrics[0].Last.Value));

        var (csvLog, csvRun) = await host.WriteRunAsync("lightning", "metrics.csv",
            "epoch,step,train_loss,val_loss\n0,49,0.81,\n0,99,0.62,\n0,99,,0.70\n", untilStep: 99);
        await TestHost.AppendAsync(csvLog, "1,149,0.55,\n");
        var csv = await TestHost.EventuallyAsync(() => host.GetJsonAsync<RunDetail>($"/api/runs/{csvRun.Id}"),
            d => d.Run.Step == 149, "the appended CSV row");
        Assert.Equal(new StepValue(149, 0.55), csv.Metrics.Single(m => m.Key == "train_loss").Last);
        Assert.Equal(1, csv.Metrics.Single(m => m.Key == "val_loss").Count);
    }
}
