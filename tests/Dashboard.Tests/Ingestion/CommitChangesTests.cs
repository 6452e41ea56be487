using Dashboard.Storage;
using Dashboard.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Ingestion;

/// <summary>
/// The writer saves only the rows a commit touched (EF's scan of every tracked row is off): every
/// change a commit makes to a run, its metrics and its file must still reach the store, and rows
/// of runs it did not touch must stay as they were.
/// </summary>
public sealed class CommitChangesTests
{
    [Fact]
    public async Task Every_change_a_commit_makes_reaches_the_store_and_untouched_runs_keep_theirs()
    {
        await using var host = await TestHost.StartAsync();
        var (quiet, quietRun) = await host.WriteRunAsync("commits", "quiet.log", LogLines.Iter(100, 2.0), 100);
        var (busy, busyRun) = await host.WriteRunAsync("commits", "busy.log", LogLines.Iter(100, 1.5), 100);

        // Later commits touch the busy run only: its step, status, summaries and file offset all move.
        await TestHost.AppendAsync(busy, LogLines.Iter(200, 1.25) + "garbled \u0001 line\n" + LogLines.Iter(300, 0.75));
        await host.WaitForRunAsync(r => r.Id == busyRun.Id && r.Step == 300);
        await TestHost.AppendAsync(busy, "Traceback (most recent call last):\nRuntimeError: boom\n");
        await host.WaitForRunAsync(r => r.Id == busyRun.Id && r.Status == RunStatus.Crashed);

        var row = await ReadAsync(host, $"SELECT Step, Status FROM runs WHERE Id = {busyRun.Id}");
        Assert.Equal([300L, "Crashed"], row);
        Assert.Equal([3L, 300L, 0.75], await ReadAsync(host, $"SELECT Count, LastStep, LastValue FROM metrics WHERE RunId = {busyRun.Id} AND Key = 'Loss_CE'"));
        Assert.Equal([new FileInfo(busy).Length], await ReadAsync(host, $"SELECT Offset FROM source_files WHERE Path = '{busy}'"));

        Assert.Equal([100L, "Running"], await ReadAsync(host, $"SELECT Step, Status FROM runs WHERE Id = {quietRun.Id}"));
        Assert.Equal([1L, 100L, 2.0], await ReadAsync(host, $"SELECT Count, LastStep, LastValue FROM metrics WHERE RunId = {quietRun.Id} AND Key = 'Loss_CE'"));
        Assert.Equal([new FileInfo(quiet).Length], await ReadAsync(host, $"SELECT Offset FROM source_files WHERE Path = '{quiet}'"));

        // A restart reads the same rows back: nothing is read twice, the busy run goes on where it was.
        await host.RestartAsync();
        await TestHost.AppendAsync(busy, LogLines.Iter(400, 0.5));
        await host.WaitForRunAsync(r => r.Id == busyRun.Id && r.Step == 400);
        Assert.Equal([4L, 400L, 0.5], await ReadAsync(host, $"SELECT Count, LastStep, LastValue FROM metrics WHERE RunId = {busyRun.Id} AND Key = 'Loss_CE'"));
    }

    private static async Task<object[]> ReadAsync(TestHost host, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={host.StoreFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for {sql}");
        var values = new object[reader.FieldCount];
        reader.GetValues(values);
        return values;
    }
}
