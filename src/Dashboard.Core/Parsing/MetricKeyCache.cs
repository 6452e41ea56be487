namespace Dashboard.Core.Parsing;

/// <summary>
/// Turns a key's text into the stored key once per distinct key, so hot lines do not allocate a string
/// per point. Bounded: a log that invents keys forever stops being cached, not parsed.
/// </summary>
internal sealed class MetricKeyCache
{
    /// <summary>The API refuses longer metric names, so a longer stored key could never be read back or sent again.</summary>
    public const int MaxKeyLength = 200;

    private const int MaxEntries = 4096;
    private const int Slots = 64;

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    // A log repeats one line shape, so the n-th key of a line is nearly always the n-th key of the last
    // one: comparing with it is cheaper than hashing.
    private readonly (string Text, string Key)[] _lastBySlot = new (string, string)[Slots];

    private readonly string? _prefix;

    /// <param name="prefix">Put before every key not already under it ("val/" leaves "val_loss" alone): "val/" for mmengine's validation loop.</param>
    public MetricKeyCache(string? prefix = null)
    {
        _lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefix = prefix;
    }

    /// <summary>
    /// The stored key for text, the slot-th key of its line; false when the stored key would be longer than
    /// <see cref="MaxKeyLength"/> (the prefix counts): such a pair is skipped, never cut, since two cut keys could meet.
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> text, int slot, out string key)
    {
        if (slot < Slots && _lastBySlot[slot].Text is { } last && text.SequenceEqual(last))
        {
            key = _lastBySlot[slot].Key;
            return true;
        }
        if (text.Length > MaxKeyLength)
        {
            key = "";
            return false;
        }
        if (!_lookup.TryGetValue(text, out var raw, out var cached))
        {
            raw = text.ToString();
            cached = WithPrefix(WithSplitPrefix(raw));
            if (cached.Length > MaxKeyLength)
            {
                key = "";
                return false;
            }
            if (_keys.Count < MaxEntries)
                _keys.Add(raw, cached);
        }
        key = cached;
        if (slot < Slots)
            _lastBySlot[slot] = (raw, key);
        return true;
    }

    private string WithPrefix(string key) =>
        _prefix is null || key.StartsWith(_prefix.AsSpan(0, _prefix.Length - 1), StringComparison.OrdinalIgnoreCase) ? key : _prefix + key;

    /// <summary>"Training mIoU" → "train/mIoU", "Validation mIoU" → "val/mIoU", "Test acc" → "test/acc".</summary>
    private static string WithSplitPrefix(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
            return key;
        var rest = key.AsSpan(space + 1).TrimStart();
        var split = SplitOf(key.AsSpan(0, space));
        return split is null || rest.IsEmpty ? key : $"{split}/{rest}";
    }

    private static string? SplitOf(ReadOnlySpan<char> word)
    {
        if (word.Equals("training", StringComparison.OrdinalIgnoreCase) || word.Equals("train", StringComparison.OrdinalIgnoreCase))
            return "train";
        if (word.Equals("validation", StringComparison.OrdinalIgnoreCase) || word.Equals("val", StringComparison.OrdinalIgnoreCase))
            return "val";
        return word.Equals("test", StringComparison.OrdinalIgnoreCase) ? "test" : null;
    }
}
