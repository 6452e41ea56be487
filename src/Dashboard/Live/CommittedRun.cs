using Dashboard.Core.Records;
using Dashboard.Storage;

namespace Dashboard.Live;

/// <summary>What one commit changed for one run: its new summary and the points now stored.</summary>
public sealed record CommittedRun(RunSummary Run, IReadOnlyDictionary<string, List<StoredPoint>> Points, IReadOnlyList<RunEvent> Events)
{
    /// <summary>The step that went back to (a resume): stored points from that step on were replaced, so anything derived from them must be rebuilt.</summary>
    public long? RewoundFrom { get; init; }

    public bool Rewound => RewoundFrom is not null;

    public int PointCount => Points.Values.Sum(list => list.Count);
}
