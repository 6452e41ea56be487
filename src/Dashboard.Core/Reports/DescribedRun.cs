namespace Dashboard.Core.Reports;

/// <summary>
/// A run's report with what its charts and conclusions take from its points, so that neither needs
/// the points again: each metric's digest, the headline loss's distribution and ending, the gap
/// between training and evaluation.
/// </summary>
public sealed record DescribedRun(RunInput Run, RunReport Report, IReadOnlyList<MetricDigest> Metrics, Histogram? Distribution, Finding? Tail, TrainGap? Gap);

/// <summary>Training value minus evaluation value at the first and at the last evaluation step.</summary>
public sealed record TrainGap(string TrainKey, long FirstStep, double First, long LastStep, double Last);
