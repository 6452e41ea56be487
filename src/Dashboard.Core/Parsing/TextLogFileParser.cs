using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing;

/// <summary>
/// A plain-text log: complete lines go to the <see cref="TextLogParser"/>; a partial last line waits.
/// Bytes that cannot be text are counted as skipped while the lines around them are kept: a run of
/// NUL bytes (a zero-filled block left by a crash of the writing machine) is not part of the next
/// line, NUL and invalid UTF-8 bytes inside lines are dropped or replaced, and a line longer than
/// <see cref="MaxLineBytes"/> is consumed and skipped, even before its newline has arrived.
/// </summary>
public sealed class TextLogFileParser(ParserState? state = null) : ILogParser
{
    /// <summary>No log record is this long; the text parser would ignore such a line anyway.</summary>
    public const int MaxLineBytes = 256 * 1024;

    private readonly TextLogParser _parser = new(state);
    private readonly List<string> _lines = [];
    private bool _skippingLongLine = state?.SkippingLongLine ?? false;

    public LogFormat Format => LogFormat.Text;

    public ParserState State => _parser.State with { SkippingLongLine = _skippingLongLine };

    public int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into)
    {
        long skipped = 0;
        var pos = 0;
        if (_skippingLongLine)
        {
            var newline = buffer.IndexOf((byte)'\n');
            if (newline < 0)
            {
                into.SkippedBytes += buffer.Length;
                return buffer.Length;
            }
            pos = newline + 1;
            skipped += pos;
            _skippingLongLine = false;
        }
        var segmentStart = pos;
        while (pos < buffer.Length)
        {
            if (buffer[pos] == 0)
            {
                skipped += ParseLines(buffer[segmentStart..pos], nowUnixMs, into);
                var text = buffer[pos..].IndexOfAnyExcept((byte)0);
                var zeros = text < 0 ? buffer.Length - pos : text;
                skipped += zeros;
                pos += zeros;
                segmentStart = pos;
                continue;
            }
            var lineEnd = buffer[pos..].IndexOf((byte)'\n');
            if (lineEnd < 0)
                break;
            if (lineEnd > MaxLineBytes)
            {
                skipped += ParseLines(buffer[segmentStart..pos], nowUnixMs, into) + lineEnd + 1;
                pos += lineEnd + 1;
                segmentStart = pos;
                continue;
            }
            pos += lineEnd + 1;
        }
        skipped += ParseLines(buffer[segmentStart..pos], nowUnixMs, into);
        if (buffer.Length - pos > MaxLineBytes)
        {
            skipped += buffer.Length - pos;
            _skippingLongLine = true;
            pos = buffer.Length;
        }
        into.SkippedBytes += skipped;
        return pos;
    }

    /// <summary>Parses complete lines and returns how many of their bytes were not text (NUL, invalid UTF-8).</summary>
    private long ParseLines(ReadOnlySpan<byte> lines, long nowUnixMs, ParsedRecords into)
    {
        if (lines.IsEmpty)
            return 0;
        _lines.Clear();
        LineSplitter.Split(lines, _lines);
        foreach (var line in _lines)
            _parser.ParseLine(line, nowUnixMs, into);
        return lines.Count((byte)0) + InvalidUtf8Bytes(lines);
    }

    private static int InvalidUtf8Bytes(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
            return 0;
        var invalid = 0;
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out _, out var length);
            if (status != OperationStatus.Done)
                invalid += length;
            bytes = bytes[Math.Max(length, 1)..];
        }
        return invalid;
    }
}
