namespace Dashboard.Core.Parsing.Json;

/// <summary>
/// One string per distinct metric key, looked up by its characters, so records that repeat the same keys
/// (every JSON line, every TensorBoard event) do not allocate a string per point. Bounded: a file that
/// invents keys forever stops being cached, not parsed.
/// </summary>
internal sealed class KeyCache
{
    private const int MaxEntries = 4096;

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public KeyCache() => _lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var key))
            return key;
        key = text.ToString();
        if (_keys.Count < MaxEntries)
            _keys.Add(key, key);
        return key;
    }
}
