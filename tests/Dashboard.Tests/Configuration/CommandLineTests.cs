using Dashboard.Configuration;

namespace Dashboard.Tests.Configuration;

public sealed class CommandLineTests
{
    [Fact]
    public void Watch_is_repeatable_and_demo_needs_no_value()
    {
        var parsed = CommandLine.Parse(["--watch", "/a", "--demo", "--watch=/b", "--data", "d", "--api-key", "k", "--urls", "http://127.0.0.1:5001"]);
        Assert.Equal("/a", parsed.Settings["Watch:Roots:0"]);
        Assert.Equal("/b", parsed.Settings["Watch:Roots:1"]);
        Assert.Equal("true", parsed.Settings["Demo:Enabled"]);
        Assert.Equal("d", parsed.Settings["Data"]);
        Assert.Equal("k", parsed.Settings["Auth:ApiKey"]);
        Assert.Equal(["--urls", "http://127.0.0.1:5001"], parsed.Remaining);
    }

    [Theory]
    [InlineData("--watch")]
    [InlineData("--data", "--demo")]
    public void Flag_without_its_value_is_a_clear_error(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.Contains("needs a value", error.Message);
    }
}
