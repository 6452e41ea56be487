using Dashboard.Core.Reports;

namespace Dashboard.Core.Tests.Reports;

public sealed class MetricStatisticsTests
{
    [Fact]
    public void Statistics_skip_non_finite_values_and_name_the_steps_of_the_extremes()
    {
        var metric = ReportData.Points("train/total_loss", (100, 4.0), (200, -2.0), (300, double.NaN), (400, 7.5), (500, 1.0), (600, double.PositiveInfinity), (700, 3.0));
        double[] finite = [4.0, -2.0, 7.5, 1.0, 3.0];
        var mean = finite.Average();
        var std = Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / finite.Length);

        var stats = MetricStatistics.Describe(metric.Key, metric.Points);

        Assert.Equal(7, stats.Count);
        Assert.Equal(2, stats.NonFinite);
        Assert.Equal(300, stats.FirstNonFiniteStep);
        Assert.Equal(new ReportPoint(100, 4.0), stats.Initial);
        Assert.Equal(new ReportPoint(700, 3.0), stats.Final);
        Assert.Equal(new ReportPoint(200, -2.0), stats.Min);
        Assert.Equal(new ReportPoint(400, 7.5), stats.Max);
        Assert.Equal(mean, stats.Mean!.Value, 12);
        Assert.Equal(3.0, stats.Median);
        Assert.Equal(std, stats.StdDev!.Value, 12);
        Assert.Equal(MetricKinds.LowerIsBetter, stats.Direction);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two() =>
        Assert.Equal(2.5, MetricStatistics.Median([4, 1, 3, 2]));

    [Fact]
    public void Value_at_a_milestone_is_the_last_logged_at_or_before_it()
    {
        var metric = ReportData.Metric("loss", s => s, from: 100, to: 1000, every: 300);

        Assert.Equal(700, MetricStatistics.AtOrBefore(metric.Points, 999)!.Value.Step);
        Assert.Equal(100, MetricStatistics.AtOrBefore(metric.Points, 100)!.Value.Step);
        Assert.Null(MetricStatistics.AtOrBefore(metric.Points, 99));
    }
}
