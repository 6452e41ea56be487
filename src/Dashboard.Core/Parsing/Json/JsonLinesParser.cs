using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Records;

namespace Dashboard.Core.Parsing.Json;

/// <summary>
/// A JSON lines log (<c>*.jsonl</c>: Hugging Face / mmengine / wandb-history style), one object a line.
/// Nested objects are flattened with '/' (<c>{"train": {"loss": 0.4}}</c> gives <c>train/loss</c>); numbers,
/// Python's bare NaN/Infinity/-Infinity and the strings "NaN"/"nan"/"inf"/"Infinity" are values; strings,
/// booleans, nulls and arrays are not metrics.
/// <para>
/// Step: the top-level <c>step</c>, <c>global_step</c>, <c>_step</c> (wandb), <c>iteration</c>, <c>iter</c>
/// or <c>epoch</c> (first that holds a whole number, in that order; an unused <c>epoch</c> stays a metric, the
/// other step keys do not). A line naming no step belongs to the last named step (an evaluation logged
/// after a train line); in a file that has named none, each metrics line is the next step, from 0.
/// Time: <c>timestamp</c>/<c>time</c>/<c>wall_time</c>/<c>_timestamp</c> as unix s or ms or a date, else now
/// (a number that is no plausible time, like mmcv's per-iteration <c>time</c>, stays a metric).
/// <c>max_steps</c>/<c>total_steps</c> give the run's length. A line naming no step is the configuration
/// when it holds a <c>config</c>/<c>args</c>/<c>hparams</c> object, or when it is the file's first record and
/// holds strings or booleans. Lines that do not start with '{' are prints and ignored; a '{' line that is
/// not valid JSON is corrupt and counted in SkippedBytes.
/// </para>
/// </summary>
public sealed class JsonLinesParser : ILogParser
{
    private const int MaxKeyChars = 200;
    private const int MaxDepth = 64;
    private const int EpochIndex = 5;
    private const double MaxExactInteger = 9007199254740992;

    private static readonly string[] StepKeys = ["step", "global_step", "_step", "iteration", "iter", "epoch"];
    private static readonly string[] TotalKeys = ["max_steps", "total_steps"];
    private static readonly string[] TimeKeys = ["timestamp", "time", "wall_time", "_timestamp"];
    private static readonly string[] ConfigKeys = ["config", "args", "hparams", "hyperparameters", "cfg"];
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth };

    private readonly KeyCache _keys = new();
    private readonly List<(string Key, double Value)> _pending = [];
    private readonly char[] _key = new char[MaxKeyChars];
    private readonly int[] _prefix = new int[MaxDepth + 2];
    private readonly double[] _stepValues = new double[StepKeys.Length];
    private byte[] _scratch = [];

    private long _linesSeen;
    private long? _lastStep;
    private long? _totalSteps;
    private bool _stepsCounted;

    public JsonLinesParser(ParserState? state = null)
    {
        if (state is not null)
            (_linesSeen, _lastStep, _totalSteps, _stepsCounted) = (state.LinesSeen, state.LastStep, state.TotalSteps, state.StepsCounted);
    }

    public LogFormat Format => LogFormat.JsonLines;

    public ParserState State => new(_linesSeen, _lastStep, null, _totalSteps, LogFormat.JsonLines, StepsCounted: _stepsCounted);

    public int Parse(ReadOnlySpan<byte> buffer, long nowUnixMs, ParsedRecords into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var consumed = 0;
        while (LineSplitter.NextLine(buffer, ref consumed, out var line))
        {
            _linesSeen++;
            if (!TryParseLine(line, nowUnixMs, into))
                into.SkippedBytes += line.Length + 1;
        }
        return consumed;
    }

    /// <summary>False only for a line that is corrupt: starts like an object but is not valid JSON.</summary>
    private bool TryParseLine(ReadOnlySpan<byte> line, long nowUnixMs, ParsedRecords into)
    {
        line = line.Trim(" \t\r\f\v"u8);
        if (line.StartsWith("\uFEFF"u8))
            line = line[3..].TrimStart(" \t"u8);
        if (line.IsEmpty || line[0] != (byte)'{')
            return true;
        var json = WithQuotedSpecials(line);
        _pending.Clear();
        Array.Fill(_stepValues, double.NaN);
        if (!TryWalk(json, out var shape))
            return false;

        var stepIndex = Array.FindIndex(_stepValues, v => v is >= 0 and < MaxExactInteger && v == Math.Floor(v));
        if (!double.IsNaN(_stepValues[EpochIndex]) && stepIndex != EpochIndex)
            _pending.Add(("epoch", _stepValues[EpochIndex]));
        var unixMs = shape.UnixMs ?? nowUnixMs;
        if (stepIndex < 0 && (shape.HasConfigKey || (shape.HasText && _lastStep is null)))
        {
            ReadConfig(json, shape.HasConfigKey, unixMs, into);
            return true;
        }
        if (shape.TotalSteps is { } total and > 0 and < MaxExactInteger && total == Math.Floor(total) && (long)total != _totalSteps)
        {
            _totalSteps = (long)total;
            into.TotalSteps = _totalSteps;
        }
        if (_pending.Count == 0 && stepIndex < 0)
            return true;
        long step;
        if (stepIndex >= 0)
            (step, _stepsCounted) = ((long)_stepValues[stepIndex], false);
        else if (_lastStep is { } last && !_stepsCounted)
            step = last;
        else
            (step, _stepsCounted) = ((_lastStep ?? -1) + 1, true);
        _lastStep = step;
        foreach (var (key, value) in _pending)
            into.Points.Add(new MetricPoint(key, step, value, unixMs));
        return true;
    }

    private record struct Shape(long? UnixMs, double? TotalSteps, bool HasText, bool HasConfigKey);

    /// <summary>Walks the object once: metrics into _pending, step keys into _stepValues, the rest into the shape.</summary>
    private bool TryWalk(ReadOnlySpan<byte> json, out Shape shape)
    {
        shape = default;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            var depth = 1;
            _prefix[1] = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    if (--depth == 0)
                        return !reader.Read();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.PropertyName)
                    return false;
                var length = ReadKey(ref reader, _prefix[depth], depth > 1);
                if (!reader.Read())
                    return false;
                var key = length < 0 ? default : _key.AsSpan(0, length);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject when length >= 0:
                        if (depth == 1 && IndexOf(ConfigKeys, key) >= 0)
                            shape.HasConfigKey = true;
                        _prefix[++depth] = length;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        reader.Skip();
                        break;
                    case JsonTokenType.Number when length >= 0 && reader.TryGetDouble(out var number):
                        OnNumber(key, number, depth, ref shape);
                        break;
                    case JsonTokenType.String when length >= 0:
                        OnString(ref reader, key, depth, ref shape);
                        break;
                    case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        shape.HasText = true;
                        break;
                }
            }
            return false;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Writes prefix + '/' + the property name into _key; the key's length, or -1 when too long.</summary>
    private int ReadKey(ref Utf8JsonReader reader, int prefix, bool nested)
    {
        var length = prefix;
        if (prefix < 0)
            return -1;
        if (nested)
        {
            if (length >= MaxKeyChars)
                return -1;
            _key[length++] = '/';
        }
        var raw = reader.HasValueSequence ? -1 : reader.ValueSpan.Length;
        if (raw < 0 || raw > MaxKeyChars - length)
            return -1;
        var destination = _key.AsSpan(length);
        return length + (reader.ValueIsEscaped ? reader.CopyString(destination) : Encoding.UTF8.GetChars(reader.ValueSpan, destination));
    }

    private void OnNumber(ReadOnlySpan<char> key, double number, int depth, ref Shape shape)
    {
        if (depth == 1)
        {
            var stepIndex = IndexOf(StepKeys, key);
            if (stepIndex >= 0)
            {
                _stepValues[stepIndex] = number;
                return;
            }
            if (IndexOf(TotalKeys, key) >= 0)
            {
                shape.TotalSteps ??= number;
                return;
            }
            if (IndexOf(TimeKeys, key) >= 0 && TimeValue.TryFromNumber(number, out var unixMs))
            {
                shape.UnixMs ??= unixMs;
                return;
            }
        }
        _pending.Add((_keys.Get(key), number));
    }

    private void OnString(ref Utf8JsonReader reader, ReadOnlySpan<char> key, int depth, ref Shape shape)
    {
        var raw = reader.ValueSpan;
        Span<char> text = stackalloc char[64];
        var length = !reader.HasValueSequence && raw.Length <= text.Length ? reader.CopyString(text) : -1;
        if (length < 0)
        {
            shape.HasText = true;
            return;
        }
        var value = text[..length];
        if (NumberText.TryParseSpecial(value, out var special))
            _pending.Add((_keys.Get(key), special));
        else if (depth == 1 && IndexOf(TimeKeys, key) >= 0 && TimeValue.TryFromText(value, out var unixMs))
            shape.UnixMs ??= unixMs;
        else
            shape.HasText = true;
    }

    private void ReadConfig(ReadOnlySpan<byte> json, bool hasConfigKey, long unixMs, ParsedRecords into)
    {
        JsonObject? config;
        try
        {
            config = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth }) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return;
        }
        if (config is null)
            return;
        // {"config": {...}} alone is the configuration itself.
        if (hasConfigKey && config.Count == 1 && config.First().Value is JsonObject inner)
        {
            config.Clear();
            config = inner;
        }
        into.Config = config;
        if (ConfigTotalSteps.Find(config) is { } total)
        {
            _totalSteps = total;
            into.TotalSteps = total;
        }
        var keys = string.Join(", ", config.Select(p => p.Key));
        if (keys.Length > 500)
            keys = keys[..500];
        into.Events.Add(new RunEvent(RunEventKind.ConfigCaptured, _lastStep, unixMs, $"Configuration captured: {keys}"));
    }

    /// <summary>
    /// Python's json.dumps writes NaN, Infinity and -Infinity bare, which System.Text.Json rejects: outside
    /// strings they are quoted ("NaN"), and read back as numbers like the strings are.
    /// </summary>
    private ReadOnlySpan<byte> WithQuotedSpecials(ReadOnlySpan<byte> line)
    {
        if (line.IndexOf("NaN"u8) < 0 && line.IndexOf("Infinity"u8) < 0)
            return line;
        // Quoting adds two bytes to a token of at least three: never more than double.
        var needed = (line.Length * 2) + 2;
        if (_scratch.Length < needed)
            _scratch = new byte[Math.Max(needed, 256)];
        var output = 0;
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (inString)
            {
                if (b == (byte)'\\' && i + 1 < line.Length)
                {
                    _scratch[output++] = b;
                    b = line[++i];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (SpecialTokenLength(line[i..]) is > 0 and var length)
            {
                _scratch[output++] = (byte)'"';
                line.Slice(i, length).CopyTo(_scratch.AsSpan(output));
                output += length;
                _scratch[output++] = (byte)'"';
                i += length - 1;
                continue;
            }
            _scratch[output++] = b;
        }
        return _scratch.AsSpan(0, output);
    }

    private static int SpecialTokenLength(ReadOnlySpan<byte> rest) =>
        rest.StartsWith("NaN"u8) ? 3 : rest.StartsWith("Infinity"u8) ? 8 : rest.StartsWith("-Infinity"u8) ? 9 : 0;

    private static int IndexOf(string[] keys, ReadOnlySpan<char> key)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (key.SequenceEqual(keys[i]))
                return i;
        }
        return -1;
    }
}
