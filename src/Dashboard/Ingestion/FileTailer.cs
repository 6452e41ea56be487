using System.Buffers;
using System.Text.Json.Nodes;
using Dashboard.Core.Configuration;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Storage;
using Microsoft.Win32.SafeHandles;

namespace Dashboard.Ingestion;

/// <summary>
/// Follows one log file from the committed offset: reads what was appended, hands it to the file's
/// parser and submits the records with the offset of the last complete record. A partial record
/// waits for the rest.
/// <para>
/// The offset belongs to one file, known by its (device, inode) and first bytes. When the path holds
/// another file — rotated (<c>mv x.log x.log.1</c>), copied and truncated (copytruncate), replaced,
/// rewritten — the old file's unread tail is read first, found by its identity under its new name
/// (or, for a copy, by its first bytes), then the new file is read from its start into the same run.
/// While the new file is still empty the old one is followed, since its writer may not have
/// switched yet. A file that is gone with no trace stops being followed; its run stays.
/// </para>
/// <para>
/// Bytes a parser cannot use (in text logs: NUL blocks, invalid UTF-8, over-long lines; see
/// <see cref="TextLogFileParser"/>) are counted as skipped; the records around them are kept.
/// </para>
/// </summary>
public sealed class FileTailer
{
    /// <summary>A record longer than this is skipped and counted instead of buffered.</summary>
    private const int MaxRecordBytes = 64 << 20;

    private readonly SourceIdentity _source;
    private readonly ILogger _logger;
    private readonly ParsedRecords _records = new();
    private readonly int _chunkBytes;
    private ParserState? _storedState;
    private ILogParser? _parser;
    private long _offset;
    private long _sourceTimeMs;
    private bool _skippingLongLine;
    private string _readPath;
    private StoredFileIdentity? _identity;
    private JsonObject? _filesConfig;
    private readonly Dictionary<string, string> _seriesKeys = new(StringComparer.Ordinal);
    // Read from a file that has not yielded a metric or an event yet: held back, offset uncommitted, so such a
    // file is no run (a stray rc.txt beside hparams.yaml), and a restart reads it again and gets the same.
    private IngestBatch? _held;
    private bool _yielded;

    private FileTailer(SourceIdentity source, SourcePosition position, int chunkBytes, ILogger logger)
    {
        _source = source;
        _readPath = source.Key;
        _logger = logger;
        _offset = position.Offset;
        // Nothing read yet means nothing to remember (a reset may have stored a default state).
        _storedState = position.Offset > 0 ? position.State : null;
        _yielded = position.Offset > 0;
        _identity = position.Identity;
        _chunkBytes = chunkBytes;
    }

    public SourceIdentity Source => _source;

    public long Offset => _offset;

    /// <summary>The path being read: the log's own, or a rotated name while the old file's tail is read.</summary>
    public string ReadPath => _readPath;

    /// <summary>Set when the identity changed and should be stored (see <see cref="TakeIdentity"/>).</summary>
    public bool IdentityChanged { get; private set; }

    /// <summary>Points and skipped bytes submitted by this tailer so far.</summary>
    public long PointsRead { get; private set; }

    public long SkippedBytesRead { get; private set; }

    public static async Task<FileTailer> OpenAsync(string fullPath, ISourcePositions files, int chunkBytes, ILogger logger, CancellationToken cancellationToken)
    {
        var source = SourceIdentity.ForFile(fullPath);
        return new FileTailer(source, await files.GetAsync(source.Key, cancellationToken), chunkBytes, logger)
        {
            _filesConfig = ConfigFilesBeside.Read(fullPath, logger),
        };
    }

    /// <summary>The identity to store, clearing <see cref="IdentityChanged"/>.</summary>
    public StoredFileIdentity? TakeIdentity()
    {
        IdentityChanged = false;
        return _identity;
    }

    /// <summary>
    /// A batch of events that leaves the offset and parser state where this tailer has them, so it can
    /// be submitted between this tailer's own batches.
    /// </summary>
    public IngestBatch EventBatch(IReadOnlyList<RunEvent> events, long nowMs)
    {
        // The offset moves past anything held back, so what was held travels with it.
        var batch = new IngestBatch(_source, [], events, null, null, _offset, CurrentState, 0, nowMs);
        HoldUntilYielded(ref batch);
        return batch;
    }

    /// <summary>Reads everything appended since the last call; returns false when nothing new was there.</summary>
    public async Task<bool> ReadAsync(IBatchSink writer, CancellationToken cancellationToken)
    {
        await using var current = TryOpen(_source.Key);
        var currentId = current is null ? null : FileIdentity.Of(current.SafeFileHandle);
        var currentHead = current is null ? [] : await ReadHeadAsync(current, cancellationToken);

        var any = false;
        if (current is not null && _identity is null)
        {
            // First sight (or a store from before identities): the offset belongs to this file.
            SetIdentity(currentId, currentHead);
        }
        else if (current is not null && IsSameFile(_identity!, currentId, currentHead, current))
        {
            _readPath = _source.Key;
            if (_identity!.Head.Length < StoredFileIdentity.HeadBytes && UsableHead(currentHead).Length > _identity.Head.Length)
            {
                _identity = _identity with { File = currentId ?? _identity.File, Head = UsableHead(currentHead).ToArray() };
                IdentityChanged = true;
            }
        }
        else
        {
            var (previous, sameFile) = FindPrevious();
            var previousPath = previous?.Name;
            await using (previous)
            {
                if (previous is not null)
                {
                    any |= await ReadFromAsync(previous, writer, cancellationToken);
                    if (sameFile && (current is null || current.Length == 0))
                    {
                        // Renamed away and nothing (yet) in its place: the writer may still be writing to it.
                        _readPath = previous.Name;
                        return any;
                    }
                }
            }
            if (current is null)
                throw new FileNotFoundException($"{_source.Key} is gone", _source.Key);
            _logger.LogWarning(
                "{Path} is another file now (rotated, truncated or replaced; the old one's tail was {Found}): reading it from the start into the same run",
                _source.Key, previousPath is null ? "not found" : "read from " + previousPath);
            await ResetAsync(writer, currentId, currentHead, cancellationToken);
        }
        any |= await ReadFromAsync(current!, writer, cancellationToken);
        await RememberPositionAsync(current!, cancellationToken);
        return any;
    }

    private ParserState CurrentState => _parser?.State ?? _storedState ?? new ParserState();

    private bool IsSameFile(StoredFileIdentity identity, FileIdentity? currentId, byte[] currentHead, FileStream current)
    {
        var length = current.Length;
        if (identity.File is { } known && currentId is { } now && known != now)
            return false;
        if (length < _offset)
            return false;
        var n = Math.Min(identity.Head.Length, currentHead.Length);
        return identity.Head.AsSpan(0, n).SequenceEqual(currentHead.AsSpan(0, n)) && HasTail(current, identity);
    }

    /// <summary>Whether the file still holds, just before the remembered position, the bytes read there.</summary>
    private static bool HasTail(FileStream stream, StoredFileIdentity identity)
    {
        if (identity.Tail is not { Length: > 0 } tail)
            return true;
        if (stream.Length < identity.TailOffset)
            return false;
        var buffer = new byte[tail.Length];
        stream.Position = identity.TailOffset - tail.Length;
        return stream.ReadAtLeast(buffer, tail.Length, throwOnEndOfStream: false) == tail.Length && buffer.AsSpan().SequenceEqual(tail);
    }

    /// <summary>Remembers the whole head and the bytes just before the offset of the file at the log's path.</summary>
    private async Task RememberPositionAsync(FileStream stream, CancellationToken cancellationToken)
    {
        if (_identity is null)
            return;
        if (_identity.Head.Length < StoredFileIdentity.HeadBytes && Math.Min(stream.Length, StoredFileIdentity.HeadBytes) > _identity.Head.Length)
        {
            // The head was taken while the file was shorter (or empty, just after a truncation).
            var head = UsableHead(await ReadHeadAsync(stream, cancellationToken));
            if (head.Length > _identity.Head.Length && head.StartsWith(_identity.Head))
            {
                _identity = _identity with { Head = head.ToArray() };
                IdentityChanged = true;
            }
        }
        if (_offset == 0 || _identity.TailOffset == _offset)
            return;
        var tail = new byte[(int)Math.Min(StoredFileIdentity.TailBytes, _offset)];
        stream.Position = _offset - tail.Length;
        if (await stream.ReadAtLeastAsync(tail, tail.Length, throwOnEndOfStream: false, cancellationToken) != tail.Length)
            return;
        _identity = _identity with { TailOffset = _offset, Tail = tail };
        IdentityChanged = true;
    }

    /// <summary>
    /// The file the offset belongs to, now under another name: the one being read, else a sibling with
    /// the same (device, inode) (a rename), else a sibling that starts with the same bytes and is long
    /// enough (a copy, as copytruncate leaves). SameFile tells a rename from a copy.
    /// </summary>
    private (FileStream? Stream, bool SameFile) FindPrevious()
    {
        if (_identity is null)
            return (null, false);
        if (_identity.File is { } known)
        {
            if (_readPath != _source.Key && TryOpen(_readPath) is { } followed)
            {
                if (FileIdentity.Of(followed.SafeFileHandle) == known)
                    return (followed, true);
                followed.Dispose();
            }
            foreach (var sibling in Siblings())
            {
                if (FileIdentity.Of(sibling) == known && TryOpen(sibling) is { } renamed)
                {
                    if (FileIdentity.Of(renamed.SafeFileHandle) == known)
                        return (renamed, true);
                    renamed.Dispose();
                }
            }
        }
        if (_identity.Head.Length == 0)
            return (null, false);
        foreach (var sibling in Siblings())
        {
            if (TryOpen(sibling) is not { } copy)
                continue;
            if (copy.Length >= _offset && StartsWith(copy, _identity.Head) && HasTail(copy, _identity))
                return (copy, _identity.File is null);
            copy.Dispose();
        }
        return (null, false);
    }

    /// <summary>Files beside the log whose names start like it (x.log.1, x.log-20251122, x.1.log), uncompressed.</summary>
    private IEnumerable<string> Siblings()
    {
        var folder = Path.GetDirectoryName(_source.Key);
        if (folder is null || !Directory.Exists(folder))
            return [];
        var stem = Path.GetFileNameWithoutExtension(_source.Key);
        try
        {
            return Directory.EnumerateFiles(folder, stem + "*")
                .Where(f => f != _source.Key && !IsCompressed(f))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        static bool IsCompressed(string path) =>
            Path.GetExtension(path) is ".gz" or ".bz2" or ".xz" or ".zst" or ".zip";
    }

    private static bool StartsWith(FileStream stream, byte[] head)
    {
        var buffer = new byte[head.Length];
        stream.Position = 0;
        var read = stream.ReadAtLeast(buffer, head.Length, throwOnEndOfStream: false);
        return read == head.Length && buffer.AsSpan().SequenceEqual(head);
    }

    private async Task ResetAsync(IBatchSink writer, FileIdentity? currentId, byte[] currentHead, CancellationToken cancellationToken)
    {
        (_offset, _storedState, _parser, _skippingLongLine, _readPath) = (0, null, null, false, _source.Key);
        // The store's offset must be 0 before the new file's identity is stored: a crash in between
        // then reads the new file from its start again, never the new file from the old offset.
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await writer.SubmitAsync(TakeBatch(0) with { Committed = committed }, cancellationToken);
        await committed.Task.WaitAsync(cancellationToken);
        SetIdentity(currentId, currentHead);
    }

    private void SetIdentity(FileIdentity? file, byte[] head)
    {
        _identity = new StoredFileIdentity(file, UsableHead(head).ToArray());
        IdentityChanged = true;
    }

    /// <summary>The head up to its first NUL: zero-filled blocks are not content and may be filled in later.</summary>
    private static ReadOnlySpan<byte> UsableHead(byte[] head)
    {
        var nul = head.AsSpan().IndexOf((byte)0);
        return nul < 0 ? head : head.AsSpan(0, nul);
    }

    private static async Task<byte[]> ReadHeadAsync(FileStream stream, CancellationToken cancellationToken)
    {
        var head = new byte[(int)Math.Min(StoredFileIdentity.HeadBytes, stream.Length)];
        stream.Position = 0;
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return read == head.Length ? head : head[..read];
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.SequentialScan,
            });
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private async Task<bool> ReadFromAsync(FileStream stream, IBatchSink writer, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        if (length < _offset)
        {
            _logger.LogWarning("{Path} shrank from {Offset} to {Length} bytes: reading it again from the start", stream.Name, _offset, length);
            (_offset, _storedState, _parser, _skippingLongLine) = (0, null, null, false);
        }
        if (_offset >= length)
            return false;
        // A pooled buffer sized to what there is to read: hundreds of quiet tailers hold no memory.
        var size = (int)Math.Min(_chunkBytes, Math.Max(4096, length - _offset));
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var any = false;
        try
        {
            while (_offset < length)
            {
                stream.Position = _offset;
                var want = (int)Math.Min(size, length - _offset);
                var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                    break;
                // Lines without their own timestamp are dated by the file's modification time, which is
                // "now" while a run is live and the right day for a log read long after it was written.
                _sourceTimeMs = new DateTimeOffset(File.GetLastWriteTimeUtc(stream.SafeFileHandle)).ToUnixTimeMilliseconds();
                var (consumed, skipped) = Consume(buffer.AsSpan(0, read));
                if (consumed == 0)
                {
                    if (_offset + read >= length)
                        break;
                    if (size < MaxRecordBytes)
                    {
                        size = Math.Min(size * 2, MaxRecordBytes);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(size);
                        continue;
                    }
                    (consumed, skipped, _skippingLongLine) = (read, read, true);
                }
                _offset += consumed;
                var batch = TakeBatch(skipped);
                if (batch.SkippedBytes > 0)
                    _logger.LogWarning("{Path}: skipped {Bytes} bytes that are no log records (NUL blocks, invalid text, over-long lines or corrupt records)", _source.Key, batch.SkippedBytes);
                if (HoldUntilYielded(ref batch))
                    continue;
                await writer.SubmitAsync(batch, cancellationToken);
                any = true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return any;
    }

    private (int Consumed, long Skipped) Consume(ReadOnlySpan<byte> bytes)
    {
        _parser ??= LogParsers.Create(Path.GetFileName(_source.Key), bytes, _storedState);
        var skipped = 0;
        if (_skippingLongLine)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
                return (0, 0);
            skipped = newline + 1;
            bytes = bytes[skipped..];
            _skippingLongLine = false;
            _logger.LogWarning("{Path}: skipped a record longer than {Max} bytes", _source.Key, MaxRecordBytes);
        }
        return (skipped + _parser!.Parse(bytes, _sourceTimeMs, _records), skipped);
    }

    /// <summary>
    /// Keeps what a file gave before its first metric or event (its config, total steps, skipped bytes) for the
    /// batch that brings one; true when the batch is held.
    /// </summary>
    private bool HoldUntilYielded(ref IngestBatch batch)
    {
        if (_held is { } held)
        {
            var config = held.ConfigJson is null
                ? batch.ConfigJson
                : RunConfigFiles.Merge(RunMapping.ParseConfig(held.ConfigJson), RunMapping.ParseConfig(batch.ConfigJson) ?? []).ToJsonString();
            batch = batch with
            {
                TotalSteps = batch.TotalSteps ?? held.TotalSteps,
                ConfigJson = config,
                SkippedBytes = held.SkippedBytes + batch.SkippedBytes,
                SummaryJson = batch.SummaryJson ?? held.SummaryJson,
            };
        }
        _yielded |= batch.YieldedRecords;
        _held = _yielded ? null : batch;
        return !_yielded;
    }

    /// <summary>Points of an add_scalars subfolder under their series key; an add_hparams subfolder's as summary figures.</summary>
    private IReadOnlyList<MetricPoint> SourcePoints(out JsonObject? hyperparameterFigures)
    {
        hyperparameterFigures = null;
        if (_source.IsHyperparameters)
        {
            hyperparameterFigures = [];
            foreach (var point in _records.Points.Where(p => double.IsFinite(p.Value)))
                hyperparameterFigures[point.Key] = point.Value;
            return [];
        }
        if (_source.Series is null)
            return PooledPoints.CopyOf(_records.Points);
        return [.. _records.Points.Select(p => p with { Key = SeriesKey(p.Key) })];
    }

    private string SeriesKey(string tag)
    {
        if (!_seriesKeys.TryGetValue(tag, out var key))
            _seriesKeys[tag] = key = _source.SeriesKey(tag);
        return key;
    }

    private IngestBatch TakeBatch(long skipped)
    {
        // The files beside the log travel with the first batch after opening it, a file the log names with the batch that named it.
        if (_records.ConfigFiles.Count > 0 && ConfigFilesBeside.ReadNamed(_source.Key, _records.ConfigFiles, _logger) is { } named)
            _filesConfig = RunConfigFiles.Merge(_filesConfig, named);
        var config = _filesConfig is null ? _records.Config : RunConfigFiles.Merge(_filesConfig, _records.Config ?? []);
        var points = SourcePoints(out var hyperparameterFigures);
        var summary = hyperparameterFigures is { Count: > 0 } ? hyperparameterFigures : _records.Summary;
        var batch = new IngestBatch(
            _source,
            points,
            [.. _records.Events],
            _records.TotalSteps ?? RunConfigFiles.TotalSteps(_filesConfig),
            config?.ToJsonString(),
            _offset,
            CurrentState,
            skipped + _records.SkippedBytes,
            _sourceTimeMs)
        {
            SummaryJson = summary?.ToJsonString(),
        };
        _filesConfig = null;
        PointsRead += batch.Points.Count;
        SkippedBytesRead += batch.SkippedBytes;
        _records.Clear();
        return batch;
    }
}
