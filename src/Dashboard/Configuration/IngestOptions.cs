namespace Dashboard.Configuration;

public sealed class IngestOptions
{
    /// <summary>The writer commits when this many points are pending...</summary>
    public int BatchMaxPoints { get; set; } = 50_000;

    /// <summary>...or when the first pending item has waited this long.</summary>
    public int BatchDelayMs { get; set; } = 2;

    /// <summary>Bytes read from a log per step; a longer line is read whole all the same.</summary>
    public int ReadChunkBytes { get; set; } = 1 << 20;

    /// <summary>How long a request (or a job's results) waits for the writer before it answers 503.</summary>
    public int WriteTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Distinct metrics one run may have; points of further keys are set aside (shown on the run page,
    /// nothing lost). Real trainings log tens to a few hundred; a log that writes a new key per line
    /// would otherwise make the run's page, rules and answers grow without bound.
    /// </summary>
    public int MaxMetricsPerRun { get; set; } = 2_000;
}
