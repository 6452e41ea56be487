using Dashboard.Core.Records;

namespace Dashboard.Live;

/// <summary>
/// What a page learns at one throttled tick: the points committed since the last tick (by run and key),
/// or, when <see cref="Reread"/> is set, that some were lost or rewritten and it must read the store again.
/// </summary>
public sealed record PageUpdate(IReadOnlyDictionary<long, Dictionary<string, List<StoredPoint>>> Points, bool Reread, long Dropped);
