using Dashboard.Components.Model;

namespace Dashboard.Tests.Components;

public sealed class ReturnPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/alerts?state=all", "/alerts?state=all")]
    [InlineData("/runs/7", "/runs/7")]
    public void A_path_on_this_site_is_kept(string requested, string expected) =>
        Assert.Equal(expected, ReturnPath.Local(requested));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("alerts")]
    public void Anything_that_could_leave_the_site_goes_home(string? requested) =>
        Assert.Equal("/", ReturnPath.Local(requested));
}
