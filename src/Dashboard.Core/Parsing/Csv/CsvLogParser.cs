using System.Text;
using Dashboard.Core.Parsing.Json;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing.Csv;

/// <summary>
/// A CSV (or tab-separated) metrics log with a header row: PyTorch Lightning's CSVLogger
/// <c>metrics.csv</c> (train and val rows interleaved, empty cells where a row has no value), pandas
/// <c>to_csv</c> output, TensorBoard's "Wall time,Step,Value" export, or a trainer's own parsed log.
/// <para>
/// The first line is the header (kept in <see cref="ParserState.Columns"/> so a restart after it still
/// knows the columns); the separator is a tab when the header has more tabs than commas. Fields may be
/// quoted ("a,b", "" for a quote) and padded (trimmed). The x-axis is the first column named
/// <c>step</c>, <c>global_step</c>, <c>_step</c>, <c>iteration</c>, <c>iter</c>, else <c>epoch</c> (any case); without
/// one, each row is the next step. <c>timestamp</c>/<c>time</c>/<c>wall_time</c>/<c>wall time</c>/<c>datetime</c> date
/// the row (unix s/ms, or a date as local time unless it names its offset); <c>total_steps</c>/<c>max_steps</c>
/// give the run's length. Every other cell that holds a number (nan/inf included) is a point; empty and
/// text cells are not. A row whose every cell is a non-numeric name is a new header (Lightning rewrites
/// the file with more columns when a new metric appears). A row with more non-empty cells than the
/// header has columns is misaligned (cut, or part of a rewritten file) and counted in SkippedBytes;
/// missing trailing cells are empty.
/// </para>
/// </summary>
public sealed class CsvLogParser : ILogParser
{
    private const int MaxLineChars = 1 << 20;

    private static readonly string[] StepColumns = ["step", "global_step", "_step", "iteration", "iter", "epoch"];
    private static readonly string[] TimeColumns = ["timestamp", "time", "wall_time", "wall time", "_timestamp", "datetime"];
    private static readonly string[] TotalColumns = ["total_steps", "max_steps"];

    private readonly List<(int Start, int Length)> _fields = [];
    private char[] _chars = new char[256];

    private long _linesSeen;
    private long? _lastStep;
    private long? _totalSteps;
    private char _separator = ',';
    private string[]? _columns;
    private int _stepColumn = -1;
    private int _timeColumn = -1;
    private int _totalColumn = -1;

    public CsvLogParser(ParserState? state = null)
    {
        if (state is null)
            return;
        (_linesSeen, _lastStep, _totalSteps) = (state.LinesSeen, state.LastStep, state.TotalSteps);
        if (state.Separator is [var separator])
            _separator = separator;
        if (state.Columns is { Count: > 0 } columns)
            SetColumns([.. columns]);
    }

    public LogFormat Format => LogFormat.Csv;

    public ParserState State =>
        new(_linesSeen, _lastStep, null, _totalSteps, LogFormat.Csv, _columns, _columns is null ? null : _separator.ToString());

    public int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var consumed = 0;
        while (LineSplitter.NextLine(buffer, ref consumed, out var line))
        {
            _linesSeen++;
            if (line.Length > MaxLineChars || line.Contains((byte)0))
            {
                into.SkippedBytes += line.Length + 1;
                continue;
            }
            if (!TryParseLine(line, nowUnixMs, into))
                into.SkippedBytes += line.Length + 1;
        }
        return consumed;
    }

    /// <summary>False for a row that cannot belong to the header: more non-empty cells than it has columns.</summary>
    private bool TryParseLine(ReadOnlySpan<byte> bytes, long nowUnixMs, ParsedRecords into)
    {
        if (_chars.Length < bytes.Length)
            _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
        var line = _chars.AsSpan(0, Encoding.UTF8.GetChars(bytes, _chars)).Trim().TrimStart('\uFEFF');
        if (line.IsEmpty)
            return true;
        if (_columns is null)
        {
            _separator = line.Count('\t') > line.Count(',') ? '\t' : ',';
            Split(line);
            if (!AllNumbers(line))
            {
                SetColumns(Names(line));
                return true;
            }
            // No header: the columns are only numbered, and this line is already data.
            SetColumns([.. Enumerable.Range(1, _fields.Count).Select(i => $"column{i}")]);
        }
        else
        {
            Split(line);
            if (IsHeader(line))
            {
                SetColumns(Names(line));
                return true;
            }
            // Misaligned: a row cut mid-way, or the rest of a file rewritten under a wider header.
            for (var i = _columns.Length; i < _fields.Count; i++)
            {
                if (_fields[i].Length > 0)
                    return false;
            }
        }
        AddRow(line, nowUnixMs, into);
        return true;
    }

    private void AddRow(ReadOnlySpan<char> line, long nowUnixMs, ParsedRecords into)
    {
        var columns = _columns!;
        var count = Math.Min(columns.Length, _fields.Count);
        var unixMs = nowUnixMs;
        var timeIsValue = false;
        // A "time" column of small numbers is a duration (seconds per iteration): a metric, not the date.
        if (_timeColumn >= 0 && _timeColumn < count && !Field(line, _timeColumn).IsEmpty)
        {
            if (TimeValue.TryFromText(Field(line, _timeColumn), out var rowTime))
                unixMs = rowTime;
            else
                timeIsValue = true;
        }
        if (_totalColumn >= 0 && _totalColumn < count && TryWholeNumber(Field(line, _totalColumn), out var total) && total > 0 && total != _totalSteps)
        {
            _totalSteps = total;
            into.TotalSteps = total;
        }
        long step;
        if (_stepColumn < 0)
            step = (_lastStep ?? -1) + 1;
        else if (_stepColumn < count && TryWholeNumber(Field(line, _stepColumn), out var named) && named >= 0)
            step = named;
        else
            step = _lastStep ?? 0;
        var added = 0;
        for (var i = 0; i < count; i++)
        {
            if (i == _stepColumn || i == _totalColumn || (i == _timeColumn && !timeIsValue) || columns[i].Length == 0)
                continue;
            var field = Field(line, i);
            if (!field.IsEmpty && NumberText.TryParse(field, out var value))
            {
                into.Points.Add(new MetricPoint(columns[i], step, value, unixMs));
                added++;
            }
        }
        if (added > 0 || _stepColumn >= 0)
            _lastStep = step;
    }

    private void SetColumns(string[] columns)
    {
        _columns = columns;
        _stepColumn = FindColumn(columns, StepColumns);
        _timeColumn = FindColumn(columns, TimeColumns);
        _totalColumn = FindColumn(columns, TotalColumns);
    }

    private static int FindColumn(string[] columns, string[] names)
    {
        foreach (var name in names)
        {
            var index = Array.FindIndex(columns, c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
                return index;
        }
        return -1;
    }

    private string[] Names(ReadOnlySpan<char> line)
    {
        var names = new string[_fields.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = Field(line, i).ToString();
        return names;
    }

    private bool AllNumbers(ReadOnlySpan<char> line)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (!NumberText.TryParse(Field(line, i), out _))
                return false;
        }
        return true;
    }

    /// <summary>At least two cells, every one a non-empty name that is no number and no date: a header.</summary>
    private bool IsHeader(ReadOnlySpan<char> line)
    {
        if (_fields.Count < 2)
            return false;
        for (var i = 0; i < _fields.Count; i++)
        {
            var field = Field(line, i);
            if (field.IsEmpty || NumberText.TryParse(field, out _) || TimeValue.TryFromText(field, out _))
                return false;
        }
        return true;
    }

    private ReadOnlySpan<char> Field(ReadOnlySpan<char> line, int index)
    {
        var (start, length) = _fields[index];
        return line.Slice(start, length);
    }

    private static bool TryWholeNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (!NumberText.TryParse(text, out var number) || number is < -9007199254740992 or > 9007199254740992 || number != Math.Floor(number))
            return false;
        value = (long)number;
        return true;
    }

    /// <summary>
    /// Cuts the line into fields, unquoting in place ("a ""b""" gives a "b"): an unquoted field never grows,
    /// so the text is rewritten over itself. Each field's range is trimmed of padding.
    /// </summary>
    private void Split(Span<char> line)
    {
        _fields.Clear();
        var read = 0;
        var write = 0;
        while (true)
        {
            while (read < line.Length && line[read] == ' ')
                read++;
            var start = write;
            if (read < line.Length && line[read] == '"')
            {
                read++;
                while (read < line.Length)
                {
                    var c = line[read++];
                    if (c == '"')
                    {
                        if (read < line.Length && line[read] == '"')
                            read++;
                        else
                            break;
                    }
                    line[write++] = c;
                }
                while (read < line.Length && line[read] != _separator)
                    read++;
            }
            else
            {
                while (read < line.Length && line[read] != _separator)
                    line[write++] = line[read++];
            }
            var field = line[start..write];
            var trimmedStart = start + (field.Length - field.TrimStart().Length);
            _fields.Add((trimmedStart, field.Trim().Length));
            if (read >= line.Length)
                return;
            read++;
        }
    }
}
