using Dashboard.Core.Records;
using Dashboard.Storage;

namespace Dashboard.Live;

/// <summary>What one commit changed for one run: its new summary and the points now stored.</summary>
public sealed record CommittedRun(RunSummary Run, IReadOnlyDictionary<string, List<StoredPoint>> Points, IReadOnlyList<RunEvent> Events);
