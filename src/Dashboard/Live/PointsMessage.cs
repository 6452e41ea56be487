using Dashboard.Core.Records;

namespace Dashboard.Live;

/// <summary>The hub's <c>points</c> message: new points of one run by metric key.</summary>
public sealed record PointsMessage(long Run, IReadOnlyDictionary<string, PointSegments> Points);
