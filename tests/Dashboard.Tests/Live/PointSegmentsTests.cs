using System.Text.Json;
using Dashboard.Api;
using Dashboard.Core.Records;
using Dashboard.Live;

namespace Dashboard.Tests.Live;

public sealed class PointSegmentsTests
{
    [Fact]
    public void Points_of_several_commits_go_out_as_one_array_in_commit_order_and_the_commits_lists_stay_as_they_were()
    {
        List<StoredPoint> first = [new(100, 0.5, 1_000), new(200, 0.4, 2_000)];
        List<StoredPoint> second = [new(300, double.NaN, 3_000)];
        var segments = new PointSegments();
        segments.Add(first);
        segments.Add(second);

        var json = JsonSerializer.Serialize(new PointsMessage(7, new Dictionary<string, PointSegments> { ["Loss_D"] = segments }), WireFormat.Options);
        using var sent = JsonDocument.Parse(json);
        var points = sent.RootElement.GetProperty("points").GetProperty("Loss_D");

        Assert.Equal([100L, 200L, 300L], points.EnumerateArray().Select(p => p[0].GetInt64()));
        Assert.Equal(JsonSerializer.Serialize(first.Concat(second), WireFormat.Options), points.GetRawText());
        Assert.Equal(2, first.Count);
        Assert.Single(second);
    }
}
