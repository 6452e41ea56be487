namespace Dashboard.Ingestion;

/// <summary>A wait on the writer outlasted <c>Ingest:WriteTimeoutSeconds</c>: the caller answers 503 instead of hanging.</summary>
public sealed class WriterBusyException(TimeSpan waited)
    : TimeoutException($"The store did not take the batch within {waited.TotalSeconds:0.#} s; try again later.");
