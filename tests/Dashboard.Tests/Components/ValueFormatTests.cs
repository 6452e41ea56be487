using Dashboard.Components.Model;

namespace Dashboard.Tests.Components;

public sealed class ValueFormatTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(0.0, "0")]
    [InlineData(2.0, "2")]
    [InlineData(1.23456, "1.235")]
    [InlineData(0.00002, "2.00e-5")]
    [InlineData(1916.70959, "1916.7")]
    [InlineData(12345678.0, "1.23e+7")]
    [InlineData(-0.5, "-0.5")]
    public void Values_read_the_same_everywhere(double value, string expected) =>
        Assert.Equal(expected, ValueFormat.Value(value));

    [Fact]
    public void Steps_have_no_separators_so_they_match_the_logs() =>
        Assert.Equal("35000 / 150000", ValueFormat.StepOfTotal(35000, 150000));

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(245, "4m 5s")]
    [InlineData(4980, "1h 23m")]
    [InlineData(183600, "2d 3h")]
    public void Durations_read_in_the_two_largest_units(int seconds, string expected) =>
        Assert.Equal(expected, ValueFormat.Duration(TimeSpan.FromSeconds(seconds)));
}
