using Dashboard.Core.Records;

namespace Dashboard.Storage;

/// <summary>The read side of the store, used by the API and the pages alike.</summary>
public interface IRunReader
{
    /// <summary>One page of the runs that match, with their tags, and how many match in all.</summary>
    Task<RunPage> QueryRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>How many runs there are of each status.</summary>
    Task<IReadOnlyDictionary<RunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>How many runs that match the query (all its pages) each of these projects has.</summary>
    Task<IReadOnlyDictionary<string, int>> CountByProjectAsync(RunQuery query, IReadOnlyCollection<string> projects, CancellationToken cancellationToken);

    /// <summary>The run with its metrics and what was set aside; <see cref="RunDetail.Related"/> stays empty (see <see cref="GetRelatedAsync"/>).</summary>
    Task<RunDetail?> GetRunAsync(long runId, CancellationToken cancellationToken);

    /// <summary>
    /// The runs of the same training (<see cref="RelatedRuns"/>), found by their sources' folder prefixes. Apart from
    /// <see cref="GetRunAsync"/>: the API's run answer pays for these queries, not each refresh of an open run page.
    /// </summary>
    Task<IReadOnlyList<RelatedRun>> GetRelatedAsync(RunSummary run, CancellationToken cancellationToken);

    /// <summary>Null when the run or the metric does not exist.</summary>
    Task<MetricSeries?> GetSeriesAsync(long runId, string key, StepRange steps, int? maxPoints, CancellationToken cancellationToken);
}
