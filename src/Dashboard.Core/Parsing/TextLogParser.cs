using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Parsing.Text;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Turns the lines of one plain-text training log into points and events, without per-project code:
/// a step marker (<c>Iter N/M</c>, <c>Iter(train) [N/M]</c>, <c>[Train Step] N/M</c>, <c>iter: N</c>, <c>step N</c>,
/// <c>global_step=N</c>, <c>Epoch N/M</c>, <c>Epoch [N/M]</c>) with <c>key: value</c> / <c>key=value</c> pairs (or,
/// on a line with none, <c>key value</c> pairs), evaluation blocks whose marker-less lines belong to the
/// block's step, a Python dict literal as the run's configuration or (when it names a step or epoch)
/// as metrics, YOLO epoch tables, Keras progress lines, and crash/OOM/checkpoint/finish lines.
/// Stateful: one instance per file, resumable from <see cref="State"/>.
/// </summary>
/// <remarks>
/// The x-axis, by what the line gives:
/// <list type="bullet">
/// <item>a step or iteration marker: that step; <c>/M</c> is the run's total;</item>
/// <item>an epoch marker alone (<c>Epoch 3/10</c>, Lightning's <c>Epoch 3: 45%|…</c>, Keras' <c>Epoch 3/10</c>
/// and the progress line after it, YOLO's <c>3/299</c> rows): the epoch, so epoch-based runs plot against epochs;</item>
/// <item>an epoch and the batch within it (<c>Epoch [e/E], Step [s/S]</c>, <c>Epoch(train) [e][s/S]</c>, timm's
/// <c>Train: e [s/S (p%)]</c>): the global batch (e − 1)·S + s, total E·S; epochs count from 1 unless the log
/// showed an epoch 0 (then e·S + s);</item>
/// <item>a validation loop's own counter (<c>Iter(val) [50/500]</c>, <c>Epoch(val) [1][625/625]</c>): the training
/// step reached, keys under "val/" ("test/" for test);</item>
/// <item>a dict with an integer <c>step</c>/<c>global_step</c>/<c>iteration</c>/<c>iter</c>/<c>epoch</c>: that; with
/// only Hugging Face's fractional <c>'epoch': 0.12</c>: the Trainer's global step, which is the count of its training
/// bar (the first tqdm bar without a description) as last drawn, for train and eval dicts alike; before any such bar,
/// the epoch in thousandths (120);</item>
/// <item>Lightning's rich bar (<c>Epoch 5/5 ━━━━ 56/56 … 328.41it/s v_num: 0 train_loss: 0.055</c>) and the indented
/// lines of metrics wrapped below it: the global step of the epoch's last batch counted from 0, as Lightning's own
/// loggers number it (epoch · batches + batch − 1).</item>
/// </list>
/// Hugging Face's closing dict (<c>train_runtime</c>, <c>train_loss</c>, …) is the run's summary, not its configuration
/// and not a point on a curve; it also says the training finished.
/// Not metrics: <c>eta</c>, <c>v_num</c>, values with a time, rate or share unit (<c>0.45s</c>, <c>12.3 samples/s</c>,
/// <c>45%</c>), clock times; a memory size keeps its number as printed (<c>max_mem: 5432M</c> → 5432). A running
/// average after a value (<c>Loss: 6.912 (6.93)</c>) is skipped. Warnings, tracebacks and prints give no points.
/// </remarks>
public sealed class TextLogParser
{
    // Longer lines are dumps or binary junk, not log records: parsing them could only make noise.
    private const int MaxLineChars = 256 * 1024;
    private const int MaxMessageChars = 500;
    private const int MaxMarkLength = 4;

    private const LineSignal NoPoints = LineSignal.NewBest | LineSignal.Warning | LineSignal.Crash | LineSignal.OutOfMemory;

    private static readonly (LineSignal Signal, RunEventKind Kind)[] EventSignals =
    [
        (LineSignal.NewBest, RunEventKind.NewBest),
        (LineSignal.Crash, RunEventKind.Crash),
        (LineSignal.OutOfMemory, RunEventKind.OutOfMemory),
        (LineSignal.Finished, RunEventKind.Finished),
        (LineSignal.CheckpointSaved, RunEventKind.CheckpointSaved),
    ];

    // Beyond these an epoch × batches product could overflow; such numbers are no epoch count anyway.
    private const long MaxEpochs = 10_000_000;
    private const long MaxBatchesPerEpoch = 100_000_000_000;

    private readonly MetricKeyCache _keys = new();
    private readonly MetricKeyCache _valKeys = new("val/");
    private readonly MetricKeyCache _testKeys = new("test/");
    private readonly List<(int Start, int Length, double Value)> _spacePairs = [];
    private readonly ColumnTable _table = new();
    private readonly List<(string Key, double Value)> _tablePairs = [];
    private bool _zeroBasedEpochs;
    private bool _inTraceback;
    private readonly LocalTimeConverter _clock = new();
    private long _linesSeen;
    private long? _lastStep;
    private long? _evaluationStep;
    private long? _totalSteps;
    private long? _barTotal;
    private long? _barStep;
    private long? _wrappedStep;

    public TextLogParser(ParserState? state = null)
    {
        if (state is null)
            return;
        (_linesSeen, _lastStep, _evaluationStep, _totalSteps) = (state.LinesSeen, state.LastStep, state.EvaluationStep, state.TotalSteps);
        (_zeroBasedEpochs, _inTraceback) = (state.ZeroBasedEpochs, state.InTraceback);
        (_table.TrainColumns, _table.ValColumns) = (state.TableColumns, state.TableValColumns);
        (_barTotal, _barStep, _wrappedStep) = (state.BarTotal, state.BarStep, state.WrappedStep);
    }

    /// <summary>Everything the next line depends on; a parser made from it continues exactly as this one would.</summary>
    public ParserState State => new(_linesSeen, _lastStep, _evaluationStep, _totalSteps,
        ZeroBasedEpochs: _zeroBasedEpochs, InTraceback: _inTraceback, TableColumns: _table.TrainColumns, TableValColumns: _table.ValColumns,
        BarTotal: _barTotal, BarStep: _barStep, WrappedStep: _wrappedStep);

    /// <summary>
    /// Appends what the line says to <paramref name="into"/>. Points are dated by the line's own
    /// timestamp when it starts with one (read as local time), otherwise by <paramref name="nowUnixMs"/>.
    /// </summary>
    /// <summary>How many lines at the start of a log are searched for the name of its config file.</summary>
    public const int ConfigMentionLines = 1000;

    public void ParseLine(string line, long nowUnixMs, ParsedRecords into)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(into);
        _linesSeen++;
        // Trainers name their config file while starting up (--config x.yaml, "Loaded config from x.yml").
        if (_linesSeen <= ConfigMentionLines && Configuration.ConfigMention.FindYaml(line) is { } mentioned)
            into.ConfigFiles.Add(mentioned);
        // A traceback's "  File ..." and code lines are indented; its last line ("RuntimeError: ...") is not.
        if (_inTraceback && line.Length > 0 && line[0] is ' ' or '\t')
            return;
        _inTraceback = false;
        line = AnsiCodes.Strip(line);
        ReadTrainingBar(line);
        var text = line.AsSpan().TrimEnd().TrimStart('\uFEFF');
        // Progress bars redraw with '\r': what the terminal finally showed is the text after the last one.
        // Cut first: a redirected tqdm bar is one line of thousands of updates, only its last counts.
        text = text[(text.LastIndexOf('\r') + 1)..];
        var indented = text.Length > 0 && text[0] is ' ' or '\t';
        text = text.TrimStart();
        var wrappedStep = _wrappedStep;
        _wrappedStep = null;
        if (text.IsEmpty || text.Length > MaxLineChars)
            return;
        var unixMs = nowUnixMs;
        if (LogTimestamp.TryRead(text, out var local, out var timestampLength)
            || (text[0] == '[' && LogTimestamp.TryReadMonthDay(text, LocalNow(nowUnixMs), out local, out timestampLength)))
        {
            // A timestamp no training wrote (year 9999, a garbled date) says nothing: the line keeps its values, read at now.
            if (_clock.ToUnixMs(local) is var stamped && PointBounds.IsValidUnixMs(stamped))
                unixMs = stamped;
            text = text[timestampLength..].TrimStart();
            if (text.IsEmpty)
                return;
        }
        if (text[^1] == '}' && TryReadDictLine(text, unixMs, into))
            return;
        if (RichBar.TryRead(text, out var epoch, out var batch, out var batches, out var metricsStart))
        {
            AddRichBarPoints(epoch, batch, batches, text[metricsStart..], unixMs, into);
            return;
        }
        if (indented && wrappedStep is { } wrapped)
        {
            _wrappedStep = wrapped;
            var wrappedSlot = 0;
            AddPoints(text, wrapped, unixMs, _keys, into, ref wrappedSlot);
            return;
        }
        if (_table.TryRead(text, _lastStep, out var tableStep, out var tableTotal, _tablePairs))
        {
            AddTablePoints(tableStep, tableTotal, unixMs, into);
            return;
        }

        var signals = LineSignals.Scan(text, out var evaluationIndex);
        var hasMarker = StepMarker.TryFind(text, out var marker);
        var startsEvaluation = hasMarker && evaluationIndex >= 0 && evaluationIndex < marker.Start && (signals & LineSignal.Warning) == 0;
        long? markerStep = null;
        if (hasMarker && marker.Mode == MarkerMode.Train)
        {
            var globalStep = GlobalStep(marker, out var totalSteps);
            markerStep = globalStep;
            _lastStep = globalStep;
            _evaluationStep = startsEvaluation ? globalStep : null;
            if (totalSteps is { } total)
                SetTotalSteps(total, into);
        }
        else if (hasMarker)
        {
            // mmengine's Iter(val) [50/500] counts the validation loop: its values belong to the training step reached.
            markerStep = _lastStep;
        }
        // Keras prints "Epoch 3/10" alone, then the epoch's "1875/1875 [====] - 5s 2ms/step - loss: 0.29 - ...".
        if (!hasMarker && _lastStep is { } epochStep && KerasProgress.IsProgressLine(text))
            (hasMarker, markerStep, _evaluationStep) = (true, epochStep, null);
        var step = hasMarker ? markerStep : _evaluationStep ?? _lastStep;
        AddEvents(text, signals, startsEvaluation, step, unixMs, into);
        if ((signals & LineSignal.Crash) != 0)
            (_evaluationStep, _inTraceback) = (null, true);
        // Outside an evaluation block, pairs without a step marker are prints, not metrics.
        var pointStep = hasMarker ? markerStep : _evaluationStep;
        if ((signals & NoPoints) != 0 || pointStep is not { } at)
            return;
        var keys = marker.Mode switch
        {
            MarkerMode.Val => _valKeys,
            MarkerMode.Test => _testKeys,
            _ => _keys,
        };
        var slot = 0;
        AddPoints(text[..marker.Start], at, unixMs, keys, into, ref slot);
        AddPoints(text[marker.End..], at, unixMs, keys, into, ref slot);
        if (slot == 0)
        {
            AddSpacePoints(text[..marker.Start], at, unixMs, keys, into, ref slot);
            AddSpacePoints(text[marker.End..], at, unixMs, keys, into, ref slot);
        }
    }

    /// <summary>
    /// The step a marker stands for. With an epoch and the batch within it (<c>Epoch [3/10], Step [100/600]</c>,
    /// <c>Epoch(train) [3][100/600]</c>) it is the global batch, (epoch − 1) × batches + batch, and the run's
    /// length is epochs × batches: the step within an epoch restarts every epoch and would fold the curve.
    /// Epochs count from 1 as these tools print them, unless the log showed an epoch 0.
    /// </summary>
    private long GlobalStep(in StepMarker marker, out long? totalSteps)
    {
        totalSteps = marker.Total;
        if (marker.Epoch is not { } epoch || marker.Total is not { } perEpoch)
            return marker.Step;
        if (epoch == 0)
            _zeroBasedEpochs = true;
        if (epoch > MaxEpochs || perEpoch > MaxBatchesPerEpoch)
            return marker.Step;
        var completed = _zeroBasedEpochs ? epoch : epoch - 1;
        totalSteps = marker.Epochs is { } epochs and <= MaxEpochs ? epochs * perEpoch : null;
        return (completed * perEpoch) + marker.Step;
    }

    private static void AddPoints(ReadOnlySpan<char> text, long step, long unixMs, MetricKeyCache keys, ParsedRecords into, ref int slot)
    {
        var pairs = new PairReader(text);
        while (pairs.TryRead(out var key, out var value))
            AddPoint(key, value, step, unixMs, keys, into, ref slot);
    }

    /// <summary>A point under its stored key; a key too long to store is skipped and its bytes counted as skipped.</summary>
    private static void AddPoint(ReadOnlySpan<char> key, double value, long step, long unixMs, MetricKeyCache keys, ParsedRecords into, ref int slot)
    {
        if (keys.TryGet(key, slot++, out var stored))
            into.Points.Add(new MetricPoint(stored, step, value, unixMs));
        else
            into.SkippedBytes += Encoding.UTF8.GetByteCount(key);
    }

    /// <summary>
    /// Remembers the count of the Hugging Face Trainer's training bar from every redraw on the line: the
    /// first bar without a description sets the total, and only bars of that total count (not the
    /// evaluation bar, which also has no description). A bar of that total that starts again is a loop's
    /// per-epoch bar, no global step: from then on the bar places nothing (total 0 matches no bar), since
    /// dicts at a count that went back would replace the earlier ones as if training had resumed.
    /// </summary>
    private void ReadTrainingBar(string line)
    {
        if (!line.Contains("%|", StringComparison.Ordinal))
            return;
        foreach (var segment in line.AsSpan().Split('\r'))
        {
            if (!TqdmBar.TryRead(line.AsSpan()[segment], out var hasDescription, out var count, out var total) || hasDescription)
                continue;
            _barTotal ??= total;
            if (total != _barTotal)
                continue;
            if (count < _barStep)
                (_barTotal, _barStep) = (0, null);
            else
                _barStep = count;
        }
    }

    private void AddRichBarPoints(long epoch, long batch, long batches, ReadOnlySpan<char> metrics, long unixMs, ParsedRecords into)
    {
        var step = Math.Max(0, (epoch <= MaxEpochs && batches is > 0 and <= MaxBatchesPerEpoch ? epoch * batches : 0) + batch - 1);
        (_lastStep, _evaluationStep, _wrappedStep) = (step, null, step);
        var slot = 0;
        AddPoints(metrics, step, unixMs, _keys, into, ref slot);
    }

    /// <summary>Lines with no ':' or '=' pairs at all: "Loss 6.9120e+00 (6.9310e+00)	Acc@1 0.00 (0.10)".</summary>
    private void AddSpacePoints(ReadOnlySpan<char> text, long step, long unixMs, MetricKeyCache keys, ParsedRecords into, ref int slot)
    {
        _spacePairs.Clear();
        // "Epoch 3: loss 0.5 acc 0.9", "step 7 - loss 0.5": what joins the marker to the pairs is no key.
        text = text.TrimStart(" \t:-|,;");
        if (!SpacePairReader.TryRead(text, _spacePairs))
            return;
        foreach (var (start, length, value) in _spacePairs)
            AddPoint(text.Slice(start, length), value, step, unixMs, keys, into, ref slot);
    }

    private void AddTablePoints(long step, long? total, long unixMs, ParsedRecords into)
    {
        if (_tablePairs.Count == 0)
            return;
        _lastStep = step;
        _evaluationStep = null;
        if (total is { } totalSteps)
            SetTotalSteps(totalSteps, into);
        var slot = 0;
        foreach (var (key, value) in _tablePairs)
            AddPoint(key, value, step, unixMs, _keys, into, ref slot);
    }

    private static void AddEvents(ReadOnlySpan<char> text, LineSignal signals, bool startsEvaluation, long? step, long unixMs, ParsedRecords into)
    {
        if (startsEvaluation)
            into.Events.Add(new RunEvent(RunEventKind.Evaluation, step, unixMs, Message(text)));
        foreach (var (signal, kind) in EventSignals)
        {
            if ((signals & signal) != 0)
                into.Events.Add(new RunEvent(kind, step, unixMs, Message(text)));
        }
    }

    /// <summary>The line without a leading mark such as "✓", "✅" or its mojibake "‚úì".</summary>
    private static string Message(ReadOnlySpan<char> text)
    {
        var markLength = text.IndexOfAnyInRange('\0', '\x7F');
        if (markLength is > 0 and <= MaxMarkLength && char.IsWhiteSpace(text[markLength]))
            text = text[markLength..].TrimStart();
        return (text.Length > MaxMessageChars ? text[..MaxMessageChars] : text).ToString();
    }

    /// <summary>
    /// A line ending in a dict: the dict alone, or a metrics dict printed straight after a progress bar's
    /// last redraw (Hugging Face's Trainer prints its logs to stdout while its bar draws on stderr).
    /// </summary>
    private bool TryReadDictLine(ReadOnlySpan<char> text, long unixMs, ParsedRecords into)
    {
        if (text[0] == '{')
            return TryReadDict(text, unixMs, into, metricsOnly: false);
        var open = text.IndexOf("{'", StringComparison.Ordinal);
        return open > 0 && TryReadDict(text[open..], unixMs, into, metricsOnly: true);
    }

    /// <summary>A dict literal: the run's configuration, or a metrics record when it names its own step.</summary>
    private bool TryReadDict(ReadOnlySpan<char> text, long unixMs, ParsedRecords into, bool metricsOnly)
    {
        if (text[^1] != '}' || !PythonLiteral.TryParseDict(text.ToString(), out var dict))
            return false;
        if (MetricsDict.IsMetrics(dict) && MetricsDict.IsTrainingSummary(dict))
        {
            AddSummary(dict, unixMs, into);
            return true;
        }
        if (MetricsDict.IsMetrics(dict))
        {
            AddDictPoints(dict, unixMs, into);
            return true;
        }
        if (metricsOnly)
            return false;
        into.Config = dict;
        if (ConfigTotalSteps.Find(dict) is { } total)
            SetTotalSteps(total, into);
        var keys = string.Join(", ", dict.Select(p => p.Key));
        into.Events.Add(new RunEvent(RunEventKind.ConfigCaptured, _lastStep, unixMs, Message($"Configuration captured: {keys}")));
        return true;
    }

    private void AddDictPoints(JsonObject dict, long unixMs, ParsedRecords into)
    {
        var stepKey = MetricsDict.FindStep(dict, out var step);
        if (stepKey is null && _barStep is { } barStep)
            step = barStep;
        else
            stepKey ??= MetricsDict.FindScaledEpoch(dict, out step);
        if (stepKey is not null || _barStep is not null)
            (_lastStep, _evaluationStep) = (step, null);
        else if (_evaluationStep is { } evaluationStep)
            step = evaluationStep;
        else
            return;
        var slot = 0;
        foreach (var (key, node) in dict)
        {
            // With the bar's step the epoch is a curve of its own, as the Trainer's own loggers keep it.
            if (key != stepKey && key.Length > 0 && MetricsDict.TryGetNumber(node, out var value))
                AddPoint(key, value, step, unixMs, _keys, into, ref slot);
        }
    }

    /// <summary>The Trainer's closing figures: the run's summary, and the end of its training.</summary>
    private void AddSummary(JsonObject dict, long unixMs, ParsedRecords into)
    {
        var summary = new JsonObject();
        foreach (var (key, node) in dict)
        {
            if (MetricsDict.TryGetNumber(node, out var value) && double.IsFinite(value))
                summary[key] = value;
        }
        into.Summary = summary;
        var step = _barStep ?? _lastStep;
        into.Events.Add(new RunEvent(RunEventKind.Finished, step, unixMs, Message($"Training finished: {string.Join(", ", summary.Select(p => $"{p.Key} {p.Value}"))}")));
    }

    private static DateTime LocalNow(long nowUnixMs) =>
        nowUnixMs is > 0 and < 253_402_300_799_000 ? DateTimeOffset.FromUnixTimeMilliseconds(nowUnixMs).LocalDateTime : DateTime.Now;

    private void SetTotalSteps(long total, ParsedRecords into)
    {
        _totalSteps = total;
        into.TotalSteps = total;
    }
}
