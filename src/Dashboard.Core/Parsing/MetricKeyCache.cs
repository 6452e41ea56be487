namespace Dashboard.Core.Parsing;

/// <summary>
/// Turns a key's text into the stored key once per distinct key, so hot lines do not allocate a string
/// per point. Bounded: a log that invents keys forever stops being cached, not parsed.
/// </summary>
internal sealed class MetricKeyCache
{
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

    /// <summary>The stored key for text, the slot-th key of its line.</summary>
    public string Get(ReadOnlySpan<char> text, int slot)
    {
        if (slot < Slots && _lastBySlot[slot].Text is { } last && text.SequenceEqual(last))
            return _lastBySlot[slot].Key;
        if (!_lookup.TryGetValue(text, out var raw, out var key))
        {
            raw = text.ToString();
            key = WithPrefix(WithSplitPrefix(raw));
            if (_keys.Count < MaxEntries)
                _keys.Add(raw, key);
        }
        if (slot < Slots)
            _lastBySlot[slot] = (raw, key);
        return key;
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
