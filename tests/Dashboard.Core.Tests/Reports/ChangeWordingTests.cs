using Dashboard.Core.Reports;

namespace Dashboard.Core.Tests.Reports;

public sealed class ChangeWordingTests
{
    [Fact]
    public void Loss_going_from_positive_to_negative_gets_the_absolute_change_and_no_percentage()
    {
        // Report 002 called 1,916.71 → -1,383.83 a "172.2% improvement".
        var change = ChangeWording.Describe(1916.70959, -1383.8252, MetricKinds.LowerIsBetter);

        Assert.Null(change.Percent);
        Assert.Equal(-1383.8252 - 1916.70959, change.Absolute!.Value, 9);
        Assert.Contains("fell by 3300.53", change.Text);
        Assert.Contains("from positive to negative", change.Text);
        Assert.DoesNotContain("%", change.Text);
    }

    [Fact]
    public void Same_sign_change_is_given_as_a_percentage_of_the_start()
    {
        var change = ChangeWording.Describe(0.02924, 0.01112, MetricKinds.LowerIsBetter);

        Assert.Equal(100 * (0.01112 - 0.02924) / 0.02924, change.Percent!.Value, 9);
        Assert.Contains("(-62.0%)", change.Text);
        Assert.Contains("an improvement", change.Text);
    }

    [Fact]
    public void Rising_accuracy_is_an_improvement_and_a_rising_loss_is_worse()
    {
        Assert.Contains("higher is better: an improvement", ChangeWording.Describe(0.32, 0.71, MetricKinds.HigherIsBetter).Text);
        Assert.Contains("lower is better: worse", ChangeWording.Describe(143662.89, 168476.47, MetricKinds.LowerIsBetter).Text);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1e-7, 0.5)]
    [InlineData(-1e-9, 3.0)]
    public void Start_at_or_near_zero_gets_no_percentage(double initial, double final)
    {
        var change = ChangeWording.Describe(initial, final, MetricKinds.Unknown);

        Assert.Null(change.Percent);
        Assert.Equal(final - initial, change.Absolute!.Value, 12);
        Assert.DoesNotContain("%", change.Text);
    }

    [Fact]
    public void Non_finite_end_has_no_change()
    {
        var change = ChangeWording.Describe(2.5, double.NaN, MetricKinds.LowerIsBetter);

        Assert.Null(change.Absolute);
        Assert.Null(change.Percent);
        Assert.Contains("NaN", change.Text);
    }
}
