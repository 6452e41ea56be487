using System.IO.Enumeration;
using System.Threading.Channels;
using Dashboard.Configuration;
using Dashboard.Storage;
using Microsoft.Extensions.Options;

namespace Dashboard.Ingestion;

/// <summary>
/// Finds logs under the watch roots and keeps their tailers reading. File events (inotify) make it
/// react within milliseconds; a periodic scan finds what events never report (network filesystems,
/// overflowed event queues) and files that appear while running.
/// </summary>
public sealed class LogWatcher(
    IngestWriter writer,
    SourceFileReader files,
    WatchRoots roots,
    IOptions<DashboardOptions> options,
    ILogger<LogWatcher> logger) : BackgroundService
{
    private readonly Channel<string> _dirty = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Lock _queuedGate = new();
    private readonly Dictionary<string, FileTailer> _tailers = new(StringComparer.Ordinal);
    private readonly List<FileSystemWatcher> _watchers = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var root in roots.Paths)
            StartEvents(root);
        var poll = PollAsync(stoppingToken);
        try
        {
            await foreach (var path in _dirty.Reader.ReadAllAsync(stoppingToken))
            {
                lock (_queuedGate)
                    _queued.Remove(path);
                await ReadAsync(path, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var watcher in _watchers)
                watcher.Dispose();
        }
        await poll;
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
            watcher.Renamed += (_, e) => MarkDirty(e.FullPath);
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

    private bool IsLog(string path)
    {
        var name = Path.GetFileName(path.AsSpan());
        foreach (var pattern in options.Value.Watch.Patterns)
        {
            if (FileSystemName.MatchesSimpleExpression(pattern, name))
                return !roots.IsOwnedByService(path);
        }
        return false;
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Watch.PollIntervalMs));
        do
        {
            foreach (var root in roots.Paths)
                Scan(root);
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

    private void Scan(string root)
    {
        try
        {
            var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", enumeration))
            {
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

    private async Task ReadAsync(string path, CancellationToken stoppingToken)
    {
        try
        {
            FileTailer? tailer;
            lock (_tailers)
                _tailers.TryGetValue(path, out tailer);
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
            lock (_tailers)
                _tailers.Remove(path);
            logger.LogInformation("{Path} is gone; it will be followed again if it comes back", path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(error, "Reading {Path} failed; trying again at the next scan", path);
        }
    }
}
