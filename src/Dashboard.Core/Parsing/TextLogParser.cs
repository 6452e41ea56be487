using System.Text.Json.Nodes;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing;

/// <summary>
/// Turns the lines of one plain-text training log into points and events, without per-project code:
/// a step marker (<c>Iter N/M</c>, <c>[Train Step] N/M</c>, <c>step N</c>, <c>Epoch N/M</c>) followed by
/// <c>key: value</c> / <c>key=value</c> pairs, evaluation blocks whose marker-less lines belong to the
/// block's step, a Python dict literal as the run's configuration, and crash/OOM/checkpoint/finish lines.
/// Stateful: one instance per file, resumable from <see cref="State"/>.
/// </summary>
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

    private readonly MetricKeyCache _keys = new();
    private readonly LocalTimeConverter _clock = new();
    private long _linesSeen;
    private long? _lastStep;
    private long? _evaluationStep;
    private long? _totalSteps;

    public TextLogParser(ParserState? state = null)
    {
        if (state is not null)
            (_linesSeen, _lastStep, _evaluationStep, _totalSteps) = (state.LinesSeen, state.LastStep, state.EvaluationStep, state.TotalSteps);
    }

    /// <summary>Everything the next line depends on; a parser made from it continues exactly as this one would.</summary>
    public ParserState State => new(_linesSeen, _lastStep, _evaluationStep, _totalSteps);

    /// <summary>
    /// Appends what the line says to <paramref name="into"/>. Points are dated by the line's own
    /// timestamp when it starts with one (read as local time), otherwise by <paramref name="nowUnixMs"/>.
    /// </summary>
    public void ParseLine(string line, long nowUnixMs, ParsedRecords into)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(into);
        _linesSeen++;
        var text = line.AsSpan().Trim().TrimStart('\uFEFF');
        if (text.IsEmpty || text.Length > MaxLineChars)
            return;
        // Progress bars redraw with '\r': what the terminal finally showed is the text after the last one.
        text = text[(text.LastIndexOf('\r') + 1)..].TrimStart();
        var unixMs = nowUnixMs;
        if (LogTimestamp.TryRead(text, out var local, out var timestampLength))
        {
            unixMs = _clock.ToUnixMs(local);
            text = text[timestampLength..].TrimStart();
        }
        if (text.StartsWith('{') && TryReadDict(text, unixMs, into))
            return;

        var signals = LineSignals.Scan(text, out var evaluationIndex);
        var hasMarker = StepMarker.TryFind(text, out var marker);
        var startsEvaluation = hasMarker && evaluationIndex >= 0 && evaluationIndex < marker.Start && (signals & LineSignal.Warning) == 0;
        if (hasMarker)
        {
            _lastStep = marker.Step;
            _evaluationStep = startsEvaluation ? marker.Step : null;
            if (marker.Total is { } total)
                SetTotalSteps(total, into);
        }
        var step = hasMarker ? marker.Step : _evaluationStep ?? _lastStep;
        AddEvents(text, signals, startsEvaluation, step, unixMs, into);
        if ((signals & LineSignal.Crash) != 0)
            _evaluationStep = null;
        // Outside an evaluation block, pairs without a step marker are prints, not metrics.
        var pointStep = hasMarker ? marker.Step : _evaluationStep;
        if ((signals & NoPoints) != 0 || pointStep is not { } at)
            return;
        var slot = 0;
        AddPoints(text[..marker.Start], at, unixMs, into, ref slot);
        AddPoints(text[marker.End..], at, unixMs, into, ref slot);
    }

    private void AddPoints(ReadOnlySpan<char> text, long step, long unixMs, ParsedRecords into, ref int slot)
    {
        var pairs = new PairReader(text);
        while (pairs.TryRead(out var key, out var value))
            into.Points.Add(new MetricPoint(_keys.Get(key, slot++), step, value, unixMs));
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

    /// <summary>A dict literal: the run's configuration, or a metrics record when it names its own step.</summary>
    private bool TryReadDict(ReadOnlySpan<char> text, long unixMs, ParsedRecords into)
    {
        if (text[^1] != '}' || !PythonLiteral.TryParseDict(text.ToString(), out var dict))
            return false;
        if (MetricsDict.IsMetrics(dict))
        {
            AddDictPoints(dict, unixMs, into);
            return true;
        }
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
        if (stepKey is not null)
            (_lastStep, _evaluationStep) = (step, null);
        else if (_evaluationStep is { } evaluationStep)
            step = evaluationStep;
        else
            return;
        var slot = 0;
        foreach (var (key, node) in dict)
        {
            if (key != stepKey && key.Length is > 0 and <= PairReader.MaxKeyLength && MetricsDict.TryGetNumber(node, out var value))
                into.Points.Add(new MetricPoint(_keys.Get(key, slot++), step, value, unixMs));
        }
    }

    private void SetTotalSteps(long total, ParsedRecords into)
    {
        _totalSteps = total;
        into.TotalSteps = total;
    }
}
