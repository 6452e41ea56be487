using System.Diagnostics;
using System.Globalization;
using Dashboard.Configuration;
using Dashboard.Ingestion;
using Dashboard.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dashboard.Import;

/// <summary>
/// <c>Dashboard import PATH... [--data DIR]</c>: loads historical logs through the same tailer, parser
/// and single writer as the watcher, into the same store, from the stored offsets; so importing twice,
/// or watching the same files afterwards, neither repeats nor loses a point. Folders are searched
/// recursively with the watch patterns and exclusions; a file named on the command line is read
/// whatever its name. Shows a progress bar on stderr (plain lines when stderr is not a terminal).
/// </summary>
public static class ImportCommand
{
    public const string Usage = "usage: Dashboard import PATH... [--data DIR] [--Key:Sub=value ...]";

    /// <summary>Runs the import; returns the exit code (0: everything read, 1: a path or a file failed).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter console, bool? interactive = null, CancellationToken cancellationToken = default)
    {
        var (paths, flags) = Split(args);
        if (paths.Count == 0)
        {
            await console.WriteLineAsync(Usage);
            return 1;
        }
        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        foreach (var path in missing)
            await console.WriteLineAsync($"import: no such file or folder: {path}");
        if (missing.Count > 0)
            return 1;

        // The service's own wiring, without its web server, watcher or demo: quiet unless asked.
        string[] hostArgs = ["--Logging:LogLevel:Default=Warning", "--Demo:Enabled=false", .. flags];
        await using var app = DashboardHost.Build(hostArgs);
        var services = app.Services;
        DashboardOptions options;
        try
        {
            options = services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        }
        catch (OptionsValidationException error)
        {
            await console.WriteLineAsync($"import: bad settings: {error.Message}");
            return 1;
        }
        var files = FindFiles(paths, options);
        if (files.Count == 0)
        {
            await console.WriteLineAsync($"import: no log files ({string.Join(", ", options.Watch.Patterns)}) under {string.Join(", ", paths)}");
            return 1;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Dashboard.Import");
        await ActivatorUtilities.CreateInstance<StoreInitializer>(services).StartAsync(cancellationToken);
        var writer = services.GetRequiredService<IngestWriter>();
        var reader = services.GetRequiredService<SourceFileReader>();
        await writer.StartAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var failed = 0;
        var tailers = new List<(FileTailer Tailer, long Start, long Length)>();
        try
        {
            foreach (var file in files)
            {
                var tailer = await FileTailer.OpenAsync(file.FullName, reader, options.Ingest.ReadChunkBytes, logger, cancellationToken);
                tailers.Add((tailer, tailer.Offset, file.Length));
            }
            var progress = new Progress(console, interactive ?? !Console.IsErrorRedirected, tailers, clock);
            using var stopProgress = new CancellationTokenSource();
            var drawing = progress.RunAsync(stopProgress.Token);
            try
            {
                foreach (var (tailer, _, _) in tailers)
                {
                    try
                    {
                        await tailer.ReadAsync(writer, cancellationToken);
                    }
                    catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                    {
                        failed++;
                        progress.Message($"import: cannot read {tailer.Source.Key}: {error.Message}");
                    }
                    progress.FileDone();
                }
                // Everything is committed once the last batch is.
                progress.Phase = "  writing to the store";
                var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var last = tailers[^1].Tailer;
                await writer.SubmitAsync(last.EventBatch([], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) with { Committed = committed }, cancellationToken);
                await committed.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                await stopProgress.CancelAsync();
                await drawing;
            }
            var identities = tailers.Where(t => t.Tailer.IdentityChanged)
                .Select(t => (t.Tailer.Source.Key, t.Tailer.TakeIdentity()!)).ToList();
            await reader.SaveIdentitiesAsync(identities, cancellationToken);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }

        var runs = await CountRunsAsync(services, tailers.Select(t => t.Tailer.Source.Key), cancellationToken);
        var bytes = tailers.Sum(t => Math.Max(0, t.Tailer.Offset - t.Start));
        var seconds = clock.Elapsed.TotalSeconds;
        var points = tailers.Sum(t => t.Tailer.PointsRead);
        var skipped = tailers.Sum(t => t.Tailer.SkippedBytesRead);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Imported {files.Count} files into {Path.GetFullPath(options.Data)}: {runs} runs, {points} points, {skipped} bytes skipped, {bytes / 1e6:0.0} MB in {seconds:0.0} s");
        if (failed > 0)
            summary += $"; {failed} files could not be read";
        await console.WriteLineAsync(summary);
        return failed > 0 ? 1 : 0;
    }

    /// <summary>Bare arguments are paths; flags (with their values) go to the host's configuration.</summary>
    private static (List<string> Paths, List<string> Flags) Split(IReadOnlyList<string> args)
    {
        var paths = new List<string>();
        var flags = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                paths.Add(arg);
                continue;
            }
            flags.Add(arg);
            if (!arg.Contains('=', StringComparison.Ordinal) && arg != "--demo" && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                flags.Add(args[++i]);
        }
        return (paths, flags);
    }

    private static List<FileInfo> FindFiles(List<string> paths, DashboardOptions options)
    {
        var filter = new LogFileFilter(options.Watch);
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Data)) + Path.DirectorySeparatorChar;
        var found = new Dictionary<string, FileInfo>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var candidates = File.Exists(path) ? [new FileInfo(Path.GetFullPath(path))] : filter.Enumerate(Path.GetFullPath(path));
            foreach (var file in candidates)
            {
                if (!file.FullName.StartsWith(data, StringComparison.Ordinal))
                    found.TryAdd(file.FullName, file);
            }
        }
        return [.. found.Values.OrderBy(f => f.FullName, StringComparer.Ordinal)];
    }

    private static async Task<int> CountRunsAsync(IServiceProvider services, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(cancellationToken);
        var rows = await db.SourceFiles.AsNoTracking().Where(f => f.RunId != null).Select(f => new { f.Path, f.RunId }).ToListAsync(cancellationToken);
        return rows.Where(r => wanted.Contains(r.Path)).Select(r => r.RunId).Distinct().Count();
    }

    /// <summary>Bytes done of the total, speed and time left: one redrawn line on a terminal, a line every few seconds otherwise.</summary>
    private sealed class Progress(TextWriter console, bool interactive, List<(FileTailer Tailer, long Start, long Length)> tailers, Stopwatch clock)
    {
        private const int BarWidth = 28;
        private readonly long _total = tailers.Sum(t => Math.Max(0, t.Length - t.Start));
        private readonly Lock _gate = new();
        private int _filesDone;
        private int _lastWidth;

        public volatile string Phase = "";

        public void FileDone() => Interlocked.Increment(ref _filesDone);

        public void Message(string text)
        {
            lock (_gate)
            {
                if (interactive)
                    console.Write('\r' + new string(' ', _lastWidth) + '\r');
                console.WriteLine(text);
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            var every = TimeSpan.FromMilliseconds(interactive ? 200 : 2000);
            try
            {
                while (true)
                {
                    await Task.Delay(every, stop);
                    Draw(final: false);
                }
            }
            catch (OperationCanceledException)
            {
            }
            Draw(final: true);
        }

        private void Draw(bool final)
        {
            var done = tailers.Sum(t => Math.Clamp(t.Tailer.Offset - t.Start, 0, Math.Max(0, t.Length - t.Start)));
            var fraction = _total == 0 ? 1 : (double)done / _total;
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            var rate = done / seconds;
            var eta = rate > 0 ? TimeSpan.FromSeconds((_total - done) / rate) : (TimeSpan?)null;
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{fraction * 100,3:0}%  {done / 1e6:0.0}/{_total / 1e6:0.0} MB  {rate / 1e6:0.0} MB/s  ETA {(eta is { } e ? e.ToString(@"m\:ss", CultureInfo.InvariantCulture) : "?")}  {_filesDone}/{tailers.Count} files{Phase}");
            lock (_gate)
            {
                if (interactive)
                {
                    var filled = (int)Math.Round(fraction * BarWidth);
                    var line = "[" + new string('#', filled) + new string('.', BarWidth - filled) + "] " + text;
                    console.Write('\r' + line.PadRight(_lastWidth));
                    _lastWidth = line.Length;
                    if (final)
                        console.WriteLine();
                }
                else
                {
                    console.WriteLine("import: " + text);
                }
                console.Flush();
            }
        }
    }
}
