namespace Dashboard.Core.Parsing;

/// <summary>
/// YOLOv5 / Ultralytics epoch tables: a header of column names, then one row of values per epoch
/// (the last redraw of its progress bar), and a validation header with its <c>all</c> row:
/// <code>
///       Epoch    GPU_mem   box_loss   obj_loss   cls_loss  Instances       Size
///       0/299      3.35G    0.04231    0.06318    0.01813        128        640: 100%|██████████| 118/118 [00:40&lt;00:00,  2.93it/s]
///                  Class     Images  Instances          P          R      mAP50   mAP50-95: 100%|██████████| 4/4 [00:01&lt;00:00,  2.36it/s]
///                    all        128        929      0.684      0.613      0.684      0.451
/// </code>
/// Training rows are placed at their epoch as printed (YOLOv5 counts from 0, Ultralytics from 1); the
/// validation row at the epoch just trained, its keys under "val/". Instances, Size, Images are counts
/// of the batch, not metrics. The columns are part of the parser's state, so a restart between a header
/// and its row still reads the row.
/// </summary>
internal sealed class ColumnTable
{
    private const int MaxColumns = 32;

    private static readonly string[] NotMetrics = ["Epoch", "Instances", "Size", "Class", "Images"];

    private string[]? _trainColumns;
    private string[]? _valColumns;
    private readonly List<Range> _tokens = [];

    /// <summary>The last training header's columns (null before one).</summary>
    public IReadOnlyList<string>? TrainColumns
    {
        get => _trainColumns;
        set => _trainColumns = value is null ? null : [.. value];
    }

    /// <summary>The last validation header's columns (null before one).</summary>
    public IReadOnlyList<string>? ValColumns
    {
        get => _valColumns;
        set => _valColumns = value is null ? null : [.. value];
    }

    /// <summary>True when text is a table line; a row gives its pairs (header lines give none).</summary>
    public bool TryRead(ReadOnlySpan<char> text, long? lastStep, out long step, out long? total, List<(string Key, double Value)> pairs)
    {
        step = 0;
        total = null;
        var c = text[0];
        if (c is not ('E' or 'C' or 'a') && !char.IsAsciiDigit(c))
            return false;
        pairs.Clear();
        if (c == 'E' && text.StartsWith("Epoch ") && text.Contains(" GPU_mem ", StringComparison.Ordinal))
            return ReadHeader(text, ref _trainColumns);
        if (c == 'C' && text.StartsWith("Class ") && text.Contains(" Instances ", StringComparison.Ordinal))
            return ReadHeader(text, ref _valColumns);
        if (char.IsAsciiDigit(c) && _trainColumns is { } train)
            return TryReadTrainRow(text, train, out step, out total, pairs);
        if (c == 'a' && _valColumns is { } val && lastStep is { } at && text.StartsWith("all "))
        {
            step = at;
            return TryReadRow(text, val, "val/", pairs);
        }
        return false;
    }

    private bool ReadHeader(ReadOnlySpan<char> text, ref string[]? columns)
    {
        Tokenize(Description(text));
        if (_tokens.Count is < 3 or > MaxColumns)
            return false;
        var names = new string[_tokens.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = ColumnName(Description(text)[_tokens[i]]);
        columns = names;
        return true;
    }

    /// <summary>Ultralytics writes "Box(P" … "mAP50-95)": the metric's own name is inside.</summary>
    private static string ColumnName(ReadOnlySpan<char> token)
    {
        var open = token.IndexOf('(');
        if (open >= 0)
            token = token[(open + 1)..];
        return token.TrimEnd(')').ToString();
    }

    private bool TryReadTrainRow(ReadOnlySpan<char> text, string[] columns, out long step, out long? total, List<(string Key, double Value)> pairs)
    {
        step = 0;
        total = null;
        var description = Description(text);
        Tokenize(description);
        if (_tokens.Count != columns.Length || columns[0] != "Epoch")
            return false;
        var epoch = description[_tokens[0]];
        var slash = epoch.IndexOf('/');
        if (slash <= 0 || !long.TryParse(epoch[..slash], out step) || !long.TryParse(epoch[(slash + 1)..], out var epochs) || step < 0)
            return false;
        total = epochs > 0 ? epochs : null;
        return TryReadRow(text, columns, null, pairs);
    }

    private bool TryReadRow(ReadOnlySpan<char> text, string[] columns, string? prefix, List<(string Key, double Value)> pairs)
    {
        pairs.Clear();
        var description = Description(text);
        Tokenize(description);
        // Column 0 is the row's label: the epoch, or "all" under "Class".
        if (_tokens.Count != columns.Length)
        {
            pairs.Clear();
            return false;
        }
        for (var i = 1; i < columns.Length; i++)
        {
            var token = description[_tokens[i]];
            if (!DecimalParser.TryParse(token, out var value) && !MemorySize.TryParse(token, out value))
            {
                pairs.Clear();
                return false;
            }
            if (!NotMetrics.Contains(columns[i]))
                pairs.Add((prefix + columns[i], value));
        }
        return true;
    }

    /// <summary>The text before tqdm's ": 100%|" (the table row is the bar's description).</summary>
    private static ReadOnlySpan<char> Description(ReadOnlySpan<char> text)
    {
        var bar = text.IndexOf(": ", StringComparison.Ordinal);
        return bar >= 0 && text[(bar + 2)..].TrimStart().IndexOf('%') > 0 ? text[..bar] : text;
    }

    private void Tokenize(ReadOnlySpan<char> text)
    {
        _tokens.Clear();
        var pos = 0;
        while (pos < text.Length && _tokens.Count <= MaxColumns)
        {
            while (pos < text.Length && text[pos] == ' ')
                pos++;
            var start = pos;
            while (pos < text.Length && text[pos] != ' ')
                pos++;
            if (pos > start)
                _tokens.Add(start..pos);
        }
    }
}
