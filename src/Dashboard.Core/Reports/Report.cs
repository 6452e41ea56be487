namespace Dashboard.Core.Reports;

/// <summary>
/// A frozen report: one run, or a comparison of several. Everything in it was computed from the
/// stored points when it was made; it is serialized as is and never recomputed.
/// </summary>
public sealed record Report(
    int Version,
    string Kind,
    string Title,
    DateTimeOffset CreatedAt,
    IReadOnlyList<RunReport> Runs,
    ComparisonReport? Comparison,
    IReadOnlyList<ReportChart> Charts,
    IReadOnlyList<Finding> Conclusions)
{
    public const int CurrentVersion = 1;
    public const string RunKind = "run";
    public const string ComparisonKind = "comparison";
}

/// <summary>A conclusion or recommendation and what it rests on (an alert, or the numbers).</summary>
public sealed record Finding(string Kind, string Severity, string Text)
{
    public const string Alert = "alert";
    public const string Observation = "observation";
    public const string Recommendation = "recommendation";
}

/// <summary>A value of a metric at a step.</summary>
public sealed record ReportPoint(long Step, double Value);
