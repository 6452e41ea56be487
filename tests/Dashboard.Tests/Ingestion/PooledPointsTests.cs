using Dashboard.Core.Records;
using Dashboard.Ingestion;

namespace Dashboard.Tests.Ingestion;

public sealed class PooledPointsTests
{
    [Fact]
    public void A_pooled_copy_reads_as_the_points_it_was_copied_from_and_not_at_all_once_returned()
    {
        var source = Enumerable.Range(1, 3_000).Select(step => new MetricPoint(step % 2 == 0 ? "Loss_D" : "Loss_CE", step, step / 10.0, 1_700_000_000_000 + step)).ToList();

        var pooled = PooledPoints.CopyOf(source);
        source.Clear();

        Assert.Equal(3_000, pooled.Count);
        Assert.Equal(new MetricPoint("Loss_D", 2_000, 200, 1_700_000_002_000), pooled[1_999]);
        Assert.Equal(Enumerable.Range(1, 3_000).Select(step => (long)step), pooled.Select(p => p.Step));
        Assert.Throws<ArgumentOutOfRangeException>(() => pooled[3_000]);

        PooledPoints.Return(pooled);

        // A reader that kept the batch after the writer was done fails loudly instead of reading another batch's points.
        Assert.Throws<ObjectDisposedException>(() => pooled[0]);
        Assert.Throws<ObjectDisposedException>(() => pooled.ToList());
        PooledPoints.Return(pooled);
    }

    [Fact]
    public void Points_that_did_not_come_from_the_pool_stay_as_they_are()
    {
        var list = new List<MetricPoint> { new("loss", 1, 0.5, 0) };

        PooledPoints.Return(list);

        Assert.Equal(new MetricPoint("loss", 1, 0.5, 0), Assert.Single(list));
        Assert.Empty(PooledPoints.CopyOf([]));
    }
}
