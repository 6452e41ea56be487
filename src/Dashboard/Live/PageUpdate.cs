using Dashboard.Core.Records;

namespace Dashboard.Live;

/// <summary>
/// What a page learns at one throttled tick: the points committed since the last tick (by run and key),
/// or, when <see cref="Reread"/> is set, that some were lost or rewritten and it must read the store again.
/// <see cref="Noticed"/>: besides points, something the bus does not carry changed (alerts, jobs, run events
/// such as checkpoints), so what the page shows of those is read again; a tick of points alone skips that.
/// </summary>
public sealed record PageUpdate(IReadOnlyDictionary<long, Dictionary<string, List<StoredPoint>>> Points, bool Reread, bool Noticed, long Dropped);
