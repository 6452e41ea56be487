using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Ingestion;

/// <summary>
/// Records read from one source up to <see cref="Offset"/>; the writer commits them together with
/// the offset and the parser's state, so a restart neither loses nor repeats a point.
/// </summary>
public sealed record IngestBatch(
    SourceIdentity Source,
    IReadOnlyList<MetricPoint> Points,
    IReadOnlyList<RunEvent> Events,
    long? TotalSteps,
    string? ConfigJson,
    long Offset,
    ParserState ParserState,
    long SkippedBytes,
    long SourceTimeMs)
{
    public bool HasRecords => YieldedRecords || TotalSteps is not null || ConfigJson is not null;

    /// <summary>A metric (a curve's point or a summary figure) or an event: what makes a file a run (config files beside a stray file do not).</summary>
    public bool YieldedRecords => Points.Count > 0 || Events.Count > 0 || SummaryJson is not null;

    /// <summary>Figures about the whole run, as a JSON object (merged into the run's, later keys win).</summary>
    public string? SummaryJson { get; init; }

    /// <summary>
    /// The source's offset this batch was read from, when it comes from an agent: committed only while the
    /// store's offset for the source is still there, so a batch sent again after its answer was lost is not
    /// stored twice.
    /// </summary>
    public long? ExpectedOffset { get; init; }

    /// <summary>Completed once the batch is committed (for callers that must answer only then).</summary>
    public TaskCompletionSource? Committed { get; init; }

    /// <summary>
    /// Set when the points belong to an existing run rather than to a source (a job's results): no
    /// source file, no offset, and the run's step and status stay as they are.
    /// </summary>
    public long? RunId { get; init; }

    /// <summary>Points the writer refused (see <see cref="PointBounds"/>): stored aside in the same transaction, with <see cref="RejectedReason"/>.</summary>
    public IReadOnlyList<MetricPoint> Rejected { get; init; } = [];

    public string? RejectedReason { get; init; }

    /// <summary>
    /// This batch without the points no reader could map; the same batch when every point is fine,
    /// which is nearly always, so the common case copies nothing.
    /// </summary>
    public IngestBatch Screened()
    {
        var first = FirstInvalid(Points);
        if (first < 0)
            return this;
        var kept = new List<MetricPoint>(Points.Count);
        var rejected = new List<MetricPoint>();
        for (var i = 0; i < Points.Count; i++)
            (PointBounds.IsValid(Points[i]) ? kept : rejected).Add(Points[i]);
        return this with { Points = kept, Rejected = rejected, RejectedReason = PointBounds.Problem(Points[first]) };
    }

    private static int FirstInvalid(IReadOnlyList<MetricPoint> points)
    {
        for (var i = 0; i < points.Count; i++)
        {
            if (!PointBounds.IsValid(points[i]))
                return i;
        }
        return -1;
    }

    public static IngestBatch ForRun(long runId, IReadOnlyList<MetricPoint> points, long unixMs) =>
        new(new SourceIdentity($"run:{runId}", "", ""), points, [], null, null, 0, new ParserState(), 0, unixMs) { RunId = runId };
}
