using Dashboard.Core.Records;
using Dashboard.Ingestion;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Tests.Ingestion;

public sealed class CheckpointEventTests
{
    [Theory]
    [InlineData("checkpoint_5000.pth", 5000L)]
    [InlineData("iter_5000.pth", 5000L)]
    [InlineData("model-7.pt", 7L)]
    [InlineData("epoch=3-step=1500.ckpt", 1500L)]
    [InlineData("global_step2000.safetensors", 2000L)]
    [InlineData("model_best.pth", null)]
    [InlineData("last.ckpt", null)]
    [InlineData("resnet50.pt", null)]
    [InlineData("model-00001-of-00002.safetensors", null)]
    public void Step_comes_from_the_file_name_when_it_has_one(string name, long? step) =>
        Assert.Equal(step, CheckpointScanner.StepFromName(name));

    [Fact]
    public async Task New_checkpoint_files_in_the_run_folder_become_events_once_and_leave_the_offset_alone()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("p", "ckpt.log", LogLines.IterRange(100, 300), untilStep: 300);
        var folder = Path.GetDirectoryName(log)!;
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "checkpoints", "checkpoint_5000.pth"), [1, 2, 3]);
        await File.WriteAllBytesAsync(Path.Combine(folder, "model-7.pt"), [1]);
        await File.WriteAllBytesAsync(Path.Combine(folder, "notes.bin"), [1]);

        var events = await TestHost.EventuallyAsync(() => CheckpointEventsAsync(host, run.Id), e => e.Count == 2, "two checkpoint events");
        Assert.Equal([5000L, 7L], events.OrderBy(e => e.Message, StringComparer.Ordinal).Select(e => e.Step));
        Assert.Contains(events, e => e.Message == "Checkpoint saved: " + Path.Combine("checkpoints", "checkpoint_5000.pth"));
        Assert.Equal(new FileInfo(log).Length, await Ingested.StoredOffsetAsync(host, log));

        await TestHost.AppendAsync(log, LogLines.Iter(400, 3));
        await FileMishapsTests.WaitForStepsAsync(host, run.Id, FileMishapsTests.Steps(100, 400));

        await host.RestartAsync();
        await TestHost.AppendAsync(log, LogLines.Iter(500, 3));
        await FileMishapsTests.WaitForStepsAsync(host, run.Id, FileMishapsTests.Steps(100, 500));
        // A checkpoint saved after the restart is recorded by a scan that also saw the two old ones.
        await File.WriteAllBytesAsync(Path.Combine(folder, "iter_600.pth"), [1]);
        var after = await TestHost.EventuallyAsync(() => CheckpointEventsAsync(host, run.Id), e => e.Any(x => x.Step == 600), "the checkpoint saved after the restart");
        Assert.Equal([7L, 600L, 5000L], after.Select(e => e.Step!.Value).Order());
    }

    private static async Task<List<Dashboard.Storage.Entities.RunEventEntity>> CheckpointEventsAsync(TestHost host, long runId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId && e.Kind == RunEventKind.CheckpointSaved).ToListAsync();
    }

}
