using Dashboard.Core.Records;

namespace Dashboard.Core.Reports;

/// <summary>
/// A chart of the report: curves of one metric family (points reduced to at most a few thousand,
/// spikes and NaN kept) or a histogram of a loss's values.
/// </summary>
public sealed record ReportChart(string Id, string Title, string Kind, IReadOnlyList<ChartSeries> Series, Histogram? Histogram)
{
    public const string Line = "line";
    public const string Distribution = "histogram";
}

public sealed record ChartSeries(string Label, long RunId, string Key, IReadOnlyList<StoredPoint> Points);

/// <summary>Counts of finite values per equal-width bin from <see cref="Min"/> to <see cref="Max"/>.</summary>
public sealed record Histogram(string Key, double Min, double Max, double BinWidth, IReadOnlyList<long> Counts, long NonFinite);
