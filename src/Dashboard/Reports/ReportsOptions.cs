namespace Dashboard.Reports;

/// <summary>`Reports` in configuration.</summary>
public sealed class ReportsOptions
{
    /// <summary>Make a report when a run finishes.</summary>
    public bool Automatic { get; set; } = true;

    /// <summary>
    /// How long after a run is first seen finished its report is made, so the lines a trainer prints
    /// after its last step (a final evaluation, "training finished") are in it.
    /// </summary>
    public int AutomaticDelayMs { get; set; } = 5000;

    /// <summary>What a report's copied sample images may take in all; samples beyond it are left out, and the report says so.</summary>
    public long MaxSampleBytes { get; set; } = Core.Reports.ReportSamples.DefaultMaxBytes;
}
