using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Storage;

namespace Dashboard.Ingestion;

/// <summary>
/// Follows one log file from the committed offset: reads what was appended, hands it to the file's
/// parser and submits the records with the offset of the last complete record. A partial record
/// waits for the rest; a file that shrank was truncated in place and is read again from the start.
/// </summary>
public sealed class FileTailer
{
    /// <summary>A record (line) longer than this is skipped and counted instead of buffered.</summary>
    private const int MaxRecordBytes = 64 << 20;

    private readonly SourceIdentity _source;
    private readonly ILogger _logger;
    private readonly ParsedRecords _records = new();
    private byte[] _buffer;
    private ParserState? _storedState;
    private ILogParser? _parser;
    private long _offset;
    private long _sourceTimeMs;
    private bool _skippingLongLine;

    private FileTailer(SourceIdentity source, SourceFileReader.Position position, int chunkBytes, ILogger logger)
    {
        _source = source;
        _logger = logger;
        _offset = position.Offset;
        _storedState = position.State;
        _buffer = new byte[chunkBytes];
    }

    public long Offset => _offset;

    public static async Task<FileTailer> OpenAsync(string fullPath, SourceFileReader files, int chunkBytes, ILogger logger, CancellationToken cancellationToken)
    {
        var source = SourceIdentity.ForFile(fullPath);
        return new FileTailer(source, await files.GetAsync(source.Key, cancellationToken), chunkBytes, logger);
    }

    /// <summary>Reads everything appended since the last call; returns false when nothing new was there.</summary>
    public async Task<bool> ReadAsync(IngestWriter writer, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(_source.Key, new FileStreamOptions
        {
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
        });
        var length = stream.Length;
        if (length < _offset)
        {
            _logger.LogWarning("{Path} shrank from {Offset} to {Length} bytes: truncated in place, reading it again from the start", _source.Key, _offset, length);
            _offset = 0;
            _storedState = null;
            _parser = null;
        }
        var any = false;
        while (_offset < length)
        {
            stream.Position = _offset;
            var read = await stream.ReadAtLeastAsync(_buffer, (int)Math.Min(_buffer.Length, length - _offset), throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
                break;
            _sourceTimeMs = new DateTimeOffset(File.GetLastWriteTimeUtc(_source.Key)).ToUnixTimeMilliseconds();
            var (consumed, skipped) = Consume(_buffer.AsSpan(0, read));
            if (consumed == 0)
            {
                if (read < _buffer.Length)
                    break;
                if (_buffer.Length < MaxRecordBytes)
                {
                    Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxRecordBytes));
                    continue;
                }
                (consumed, skipped, _skippingLongLine) = (read, read, true);
            }
            _offset += consumed;
            await writer.SubmitAsync(TakeBatch(skipped), cancellationToken);
            any = true;
        }
        return any;
    }

    private (int Consumed, long Skipped) Consume(ReadOnlySpan<byte> bytes)
    {
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
        // Lines without their own timestamp are dated by the file's modification time, which is
        // "now" while a run is live and the right day for a log read long after it was written.
        _parser ??= LogParsers.Create(Path.GetFileName(_source.Key), bytes, _storedState);
        return (skipped + _parser.Parse(bytes, _sourceTimeMs, _records), skipped);
    }

    private IngestBatch TakeBatch(long skipped)
    {
        var batch = new IngestBatch(
            _source,
            [.. _records.Points],
            [.. _records.Events],
            _records.TotalSteps,
            _records.Config?.ToJsonString(),
            _offset,
            _parser?.State ?? new ParserState(),
            skipped + _records.SkippedBytes,
            _sourceTimeMs);
        _records.Clear();
        return batch;
    }
}
