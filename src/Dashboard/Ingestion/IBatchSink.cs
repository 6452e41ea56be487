namespace Dashboard.Ingestion;

/// <summary>
/// Where a source's batches go: the store's single writer in the web role, the agent's disk spool on a
/// training node. A sink completes a batch's <see cref="IngestBatch.Committed"/> once the batch and its
/// offset are durable, and makes callers wait while it is behind.
/// </summary>
public interface IBatchSink
{
    ValueTask SubmitAsync(IngestBatch batch, CancellationToken cancellationToken);
}
