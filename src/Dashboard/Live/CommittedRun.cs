using Dashboard.Core.Records;
using Dashboard.Storage;

namespace Dashboard.Live;

/// <summary>What one commit changed for one run: its new summary and the points now stored.</summary>
public sealed record CommittedRun(RunSummary Run, IReadOnlyDictionary<string, List<StoredPoint>> Points, IReadOnlyList<RunEvent> Events)
{
    /// <summary>A step went back (a resume): stored points from that step on were replaced, so anything derived from them must be rebuilt.</summary>
    public bool Rewound { get; init; }
}
