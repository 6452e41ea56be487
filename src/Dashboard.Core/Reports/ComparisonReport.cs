namespace Dashboard.Core.Reports;

/// <summary>Side by side: configuration that differs and each shared metric's figures per run.</summary>
public sealed record ComparisonReport(
    IReadOnlyList<ConfigDifference> ConfigDifferences,
    IReadOnlyList<MetricComparison> Metrics);

/// <summary>One configuration key whose values differ; null where a run does not set it.</summary>
public sealed record ConfigDifference(string Key, IReadOnlyList<string?> Values);

/// <summary>One metric across the runs, in the order of <see cref="Report.Runs"/>; null where a run lacks it.</summary>
public sealed record MetricComparison(string Key, string Direction, IReadOnlyList<ComparedValue?> Values);

public sealed record ComparedValue(ReportPoint Initial, ReportPoint Final, ReportPoint? Best);
