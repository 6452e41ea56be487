using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Dashboard.Core.Parsing.Csv;
using Dashboard.Core.Parsing.Json;
using Dashboard.Core.Parsing.TensorBoard;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing;

/// <summary>Picks a file's format once (by name, then by its first bytes) and makes its parser.</summary>
public static class LogParsers
{
    /// <summary>
    /// The parser for a file: the stored state's format when resuming, else the detected one. When the head
    /// cannot tell yet (no complete line, or only a CSV-looking header line of a file without a telling
    /// name), the parser waits, consuming nothing, and decides once more bytes have arrived: a format
    /// picked on a header alone would be kept for the file's whole life.
    /// </summary>
    public static ILogParser Create(string fileName, ReadOnlySpan<byte> head, ParserState? state = null)
    {
        if (state is null && !CanDecide(fileName, head))
            return new PendingParser(fileName);
        var format = state?.Format ?? Detect(fileName, head);
        return format switch
        {
            LogFormat.JsonLines => new JsonLinesParser(state),
            LogFormat.Csv => new CsvLogParser(state),
            LogFormat.TensorBoard => new TensorBoardParser(state),
            _ => new TextLogFileParser(state),
        };
    }

    /// <summary>
    /// By name: <c>events.out.tfevents.*</c> is TensorBoard, <c>*.jsonl</c>/<c>*.ndjson</c> JSON lines,
    /// <c>*.csv</c>/<c>*.tsv</c> CSV. Otherwise by content: a first record whose TFRecord length CRC holds is
    /// TensorBoard; a first non-empty line that is a JSON object with a metric is JSON lines (another JSON object,
    /// such as a configuration, only when the next line is JSON too: text logs often start with one); a header of
    /// two or more comma/tab separated names followed by a row with a number is CSV. Only complete lines
    /// count, so a file whose second line has not arrived yet is Text. Everything else is Text.
    /// </summary>
    public static LogFormat Detect(string fileName, ReadOnlySpan<byte> head)
    {
        var name = Path.GetFileName(fileName ?? string.Empty);
        if (name.Contains("tfevents", StringComparison.OrdinalIgnoreCase))
            return LogFormat.TensorBoard;
        var extension = Path.GetExtension(name);
        if (extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase) || extension.Equals(".ndjson", StringComparison.OrdinalIgnoreCase))
            return LogFormat.JsonLines;
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) || extension.Equals(".tsv", StringComparison.OrdinalIgnoreCase))
            return LogFormat.Csv;
        if (IsTfRecord(head))
            return LogFormat.TensorBoard;
        var first = NextLine(head, 0, out var next);
        if (first < 0)
            return LogFormat.Text;
        var firstLine = head[first..LineEnd(head, first)];
        var firstJson = JsonKindOf(head[first..next]);
        if (firstJson == JsonKind.Metrics)
            return LogFormat.JsonLines;
        var second = NextLine(head, next, out var afterSecond);
        if (second < 0)
            return LogFormat.Text;
        // A JSON configuration (or message) line heads many text logs too: JSON lines only when the next line is JSON as well.
        if (firstJson != JsonKind.None)
            return JsonKindOf(head[second..afterSecond]) == JsonKind.None ? LogFormat.Text : LogFormat.JsonLines;
        return IsCsv(firstLine, head[second..LineEnd(head, second)]) ? LogFormat.Csv : LogFormat.Text;
    }

    /// <summary>Whether <see cref="Detect"/> has enough of the file to be final: the name tells, or a TFRecord header, or a complete line that cannot be a CSV header, or two lines.</summary>
    internal static bool CanDecide(string fileName, ReadOnlySpan<byte> head)
    {
        if (Detect(fileName, []) != LogFormat.Text || IsTfRecord(head))
            return true;
        var first = NextLine(head, 0, out var next);
        if (first < 0)
            return false;
        if (NextLine(head, next, out _) >= 0)
            return true;
        return JsonKindOf(head[first..next]) switch
        {
            JsonKind.Metrics => true,
            JsonKind.None => !IsCsvHeader(head[first..LineEnd(head, first)], out _),
            _ => false,
        };
    }

    private static bool IsTfRecord(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && BinaryPrimitives.ReadUInt64LittleEndian(head) < 1 << 30
        && Crc32C.Masked(head[..8]) == BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);

    /// <summary>The start of the first non-blank complete line at or after start (-1 if none) and where the next begins.</summary>
    private static int NextLine(ReadOnlySpan<byte> head, int start, out int next)
    {
        next = start;
        while (next < head.Length)
        {
            var newline = head[next..].IndexOf((byte)'\n');
            if (newline < 0)
                return -1;
            var line = next;
            next += newline + 1;
            if (!head[line..(next - 1)].Trim(" \t\r"u8).IsEmpty)
                return line;
        }
        return -1;
    }

    private static int LineEnd(ReadOnlySpan<byte> head, int start) => start + head[start..].IndexOf((byte)'\n');

    private enum JsonKind
    {
        None,
        Object,
        Metrics,
        Config,
    }

    /// <summary>What the line (with its newline) is when read as JSON lines: points, a configuration with numbers, another object, or no JSON object.</summary>
    private static JsonKind JsonKindOf(ReadOnlySpan<byte> line)
    {
        var trimmed = line.TrimStart(" \t"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
            trimmed = trimmed[3..];
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
            return JsonKind.None;
        var probe = new ParsedRecords();
        new JsonLinesParser().Parse(line, 0, probe);
        if (probe.SkippedBytes != 0)
            return JsonKind.None;
        if (probe.Points.Count > 0)
            return JsonKind.Metrics;
        return probe.Config is not null && line.IndexOfAnyInRange((byte)'0', (byte)'9') >= 0 ? JsonKind.Config : JsonKind.Object;
    }

    private static bool IsCsv(ReadOnlySpan<byte> header, ReadOnlySpan<byte> row)
    {
        if (!IsCsvHeader(header, out var names))
            return false;
        var separator = names.Separator;
        var cells = Encoding.UTF8.GetString(row).Trim().Split(separator);
        return cells.Length == names.Count && cells.Any(IsNumber);
    }

    /// <summary>Two or more comma (or tab) separated cells, none empty, none a number.</summary>
    private static bool IsCsvHeader(ReadOnlySpan<byte> line, out (char Separator, int Count) names)
    {
        var text = Encoding.UTF8.GetString(line).Trim().TrimStart('\uFEFF');
        var separator = text.Count(c => c == '\t') > text.Count(c => c == ',') ? '\t' : ',';
        var cells = text.Split(separator);
        names = (separator, cells.Length);
        return cells.Length >= 2 && !cells.Any(n => n.Trim().Trim('"').Length == 0 || IsNumber(n));
    }

    private static bool IsNumber(string cell) =>
        double.TryParse(cell.Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>A file whose format its head could not tell yet: takes nothing until it can, then parses as the detected format.</summary>
    private sealed class PendingParser(string fileName) : ILogParser
    {
        private ILogParser? _parser;

        public LogFormat Format => _parser?.Format ?? LogFormat.Text;

        public ParserState State => _parser?.State ?? new ParserState();

        public int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into)
        {
            if (_parser is null)
            {
                if (!CanDecide(fileName, buffer))
                    return 0;
                _parser = Create(fileName, buffer);
            }
            return _parser.Parse(buffer, nowUnixMs, into);
        }
    }
}
