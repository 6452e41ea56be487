using Dashboard.Api;
using Dashboard.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Dashboard.Tests.Api;

/// <summary>The run list page keeps its filters in its address, in the API's own words: what Format writes, Parse reads back.</summary>
public sealed class RunListParametersTests
{
    private static RunQuery? Parse(string queryString) =>
        RunListParameters.Parse(new QueryCollection(QueryHelpers.ParseQuery(queryString))).Query;

    [Fact]
    public void The_default_query_is_an_empty_address() =>
        Assert.Equal("", RunListParameters.Format(new RunQuery()));

    [Fact]
    public void Every_filter_survives_the_round_trip_through_the_address()
    {
        var query = new RunQuery
        {
            Text = "gan & <lr>", Project = "S4GAN Train", Status = RunStatus.Crashed, Tag = "best/1", HasActiveAlerts = true,
            StartedFrom = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), StartedBefore = new DateTimeOffset(2026, 12, 5, 12, 30, 0, TimeSpan.Zero),
            Sort = RunSort.Name, Descending = false, Offset = 200, Limit = 50,
        };
        var text = RunListParameters.Format(query);

        Assert.Equal(query, Parse(text));
        Assert.StartsWith("?q=gan%20%26%20%3Clr%3E&project=S4GAN%20Train&status=crashed&tag=best%2F1&alerts=true", text);
    }

    [Theory]
    [InlineData("val/mIoU", true, "?sort=-last%3Aval%2FmIoU")]
    [InlineData("Loss_CE", false, "?sort=last%3ALoss_CE")]
    public void An_order_by_a_metrics_last_value_survives_the_round_trip(string key, bool descending, string expected)
    {
        var query = new RunQuery { SortKey = key, Descending = descending };
        Assert.Equal(expected, RunListParameters.Format(query));
        Assert.Equal(query, Parse(expected));
    }
}
