using System.Threading.Channels;
using Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Dashboard.Ingestion;

/// <summary>
/// Finds logs under the watch roots and keeps their tailers reading. File events (inotify) make it
/// react within milliseconds; a periodic scan finds what events never report (network filesystems,
/// overflowed event queues), files that appear while running, and checkpoint files. Whatever a file
/// does (vanishes, rotates, holds garbage), the watcher logs it and goes on with the others.
/// </summary>
public sealed class LogWatcher(
    IBatchSink writer,
    ISourcePositions files,
    WatchRoots roots,
    IOptions<DashboardOptions> options,
    ILogger<LogWatcher> logger) : BackgroundService
{
    private readonly Channel<string> _dirty = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Lock _queuedGate = new();
    private readonly Dictionary<string, FileTailer> _tailers = new(StringComparer.Ordinal);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly LogFileFilter _filter = new(options.Value.Watch);
    private readonly CheckpointScanner _checkpoints = new(files, writer, logger);

    /// <summary>Held while a tailer reads, and while checkpoint events are submitted with a tailer's offset.</summary>
    private readonly SemaphoreSlim _readGate = new(1, 1);

    /// <summary>Logs refused because they lead out of the watch roots, so each is reported once (only the reader loop touches it).</summary>
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        files.Moved += Reopen;
        foreach (var root in roots.Paths)
            StartEvents(root);
        var poll = PollAsync(stoppingToken);
        try
        {
            await foreach (var path in _dirty.Reader.ReadAllAsync(stoppingToken))
            {
                lock (_queuedGate)
                    _queued.Remove(path);
                await _readGate.WaitAsync(stoppingToken);
                try
                {
                    await ReadAsync(path, stoppingToken);
                }
                finally
                {
                    _readGate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            files.Moved -= Reopen;
            foreach (var watcher in _watchers)
                watcher.Dispose();
        }
        try
        {
            await poll;
        }
        catch (OperationCanceledException)
        {
        }
        await SaveIdentitiesAsync(CancellationToken.None);
    }

    /// <summary>The source's position moved: its tailer goes, and the next read opens it again from there.</summary>
    private void Reopen(string path)
    {
        lock (_tailers)
            _tailers.Remove(path);
        MarkDirty(path);
    }

    private void StartEvents(string root)
    {
        try
        {
            var watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, e) => MarkDirty(e.FullPath);
            watcher.Created += (_, e) => MarkDirty(e.FullPath);
            watcher.Deleted += (_, e) => MarkDirty(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                // The old name matters too: a rotated log's tailer must notice at once.
                MarkDirty(e.OldFullPath);
                MarkDirty(e.FullPath);
            };
            watcher.Error += (_, e) => logger.LogWarning(e.GetException(), "File events for {Root} overflowed; the periodic scan catches up", root);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception error) when (error is IOException or ArgumentException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "No file events for {Root}; relying on the periodic scan", root);
        }
    }

    private void MarkDirty(string path)
    {
        if (!IsLog(path))
            return;
        lock (_queuedGate)
        {
            if (!_queued.Add(path))
                return;
        }
        _dirty.Writer.TryWrite(path);
    }

    private bool IsLog(string path) => _filter.IsLog(Path.GetFileName(path.AsSpan())) && !roots.IsOwnedByService(path) && !roots.IsHidden(path);

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Watch.PollIntervalMs));
        do
        {
            try
            {
                var checkpoints = new List<FileInfo>();
                var logs = new HashSet<string>(StringComparer.Ordinal);
                foreach (var root in roots.Paths)
                    Scan(root, logs, checkpoints);
                foreach (var tailer in Tailers())
                {
                    // Gone without an event, or followed under a rotated name: let the tailer find out.
                    if (tailer.ReadPath != tailer.Source.Key || !logs.Contains(tailer.Source.Key))
                        MarkDirty(tailer.Source.Key);
                }
                await ScanCheckpointsAsync(checkpoints, stoppingToken);
                await SaveIdentitiesAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError(error, "The periodic scan failed; trying again at the next one");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private List<FileTailer> Tailers()
    {
        lock (_tailers)
            return [.. _tailers.Values];
    }

    private void Scan(string root, HashSet<string> logs, List<FileInfo> checkpoints)
    {
        try
        {
            var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            // In name order: a run folder's event files are named by their start time, and read in that order a
            // restart's second file continues the first rather than being overwritten by it.
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", enumeration).OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                if (CheckpointScanner.IsCheckpoint(file.Name))
                {
                    checkpoints.Add(file);
                    continue;
                }
                if (!IsLog(file.FullName))
                    continue;
                logs.Add(file.FullName);
                FileTailer? tailer;
                lock (_tailers)
                    _tailers.TryGetValue(file.FullName, out tailer);
                if (tailer is null || tailer.Offset != file.Length)
                    MarkDirty(file.FullName);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "Scanning {Root} failed; trying again at the next scan", root);
        }
    }

    private async Task ScanCheckpointsAsync(List<FileInfo> checkpoints, CancellationToken stoppingToken)
    {
        if (checkpoints.Count == 0)
            return;
        await _readGate.WaitAsync(stoppingToken);
        try
        {
            await _checkpoints.ScanAsync(checkpoints, Tailers(), stoppingToken);
        }
        finally
        {
            _readGate.Release();
        }
    }

    /// <summary>Stores the identities of new, grown or replaced files, all in one transaction.</summary>
    private async Task SaveIdentitiesAsync(CancellationToken stoppingToken)
    {
        var changed = new List<(string, StoredFileIdentity)>();
        await _readGate.WaitAsync(stoppingToken);
        try
        {
            foreach (var tailer in Tailers())
            {
                if (tailer.IdentityChanged && tailer.TakeIdentity() is { } identity)
                    changed.Add((tailer.Source.Key, identity));
            }
        }
        finally
        {
            _readGate.Release();
        }
        try
        {
            // Not cancellable: the identities are taken, and a save cut short by shutdown would lose them.
            await files.SaveIdentitiesAsync(changed, CancellationToken.None);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Without a stored identity a restart trusts the stored offset, as before identities existed.
            logger.LogWarning(error, "Storing the identity of {Count} files failed", changed.Count);
        }
    }

    private async Task ReadAsync(string path, CancellationToken stoppingToken)
    {
        FileTailer? tailer;
        lock (_tailers)
            _tailers.TryGetValue(path, out tailer);
        try
        {
            // Checked at every read, not only the first: a followed log can be replaced by a link.
            if (roots.LeadsOutside(path))
            {
                if (_refused.Add(path))
                    logger.LogWarning("{Path} leads out of the watch roots (a link, or in a linked folder); it is not read", path);
                return;
            }
            if (tailer is null)
            {
                if (!File.Exists(path))
                    return;
                tailer = await FileTailer.OpenAsync(path, files, options.Value.Ingest.ReadChunkBytes, logger, stoppingToken);
                lock (_tailers)
                    _tailers[path] = tailer;
                logger.LogInformation("Following {Path} from byte {Offset}", path, tailer.Offset);
            }
            await tailer.ReadAsync(writer, stoppingToken);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            if (tailer is not null)
                await ForgetAsync(tailer, stoppingToken);
            logger.LogInformation("{Path} is gone; its run stays, and it will be followed again if it comes back", path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "Reading {Path} failed; trying again at the next scan", path);
        }
        catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The service never dies of a file.
            logger.LogError(error, "Reading {Path} failed unexpectedly; trying again at the next scan", path);
        }
    }

    /// <summary>
    /// Stops following a file once everything it submitted is committed, so that a file coming back
    /// under the same name is read from the true offset.
    /// </summary>
    private async Task ForgetAsync(FileTailer tailer, CancellationToken stoppingToken)
    {
        lock (_tailers)
            _tailers.Remove(tailer.Source.Key);
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await writer.SubmitAsync(tailer.EventBatch([], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) with { Committed = committed }, stoppingToken);
        await committed.Task.WaitAsync(stoppingToken);
        if (tailer.IdentityChanged && tailer.TakeIdentity() is { } identity)
            await files.SaveIdentitiesAsync([(tailer.Source.Key, identity)], CancellationToken.None);
    }
}
