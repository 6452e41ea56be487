using Dashboard.Configuration;
using Dashboard.Ingestion;
using Microsoft.Extensions.Configuration;

namespace Dashboard.Tests.Ingestion;

public sealed class LogFileFilterTests
{
    private static readonly LogFileFilter Defaults = new(ShippedWatchOptions());

    [Theory]
    [InlineData("train.log", true)]
    [InlineData("train.txt", true)]
    [InlineData("slurm-123.out", true)]
    [InlineData("train.log.1", false)]
    [InlineData("train.log.12", false)]
    [InlineData("train.log.2.gz", false)]
    [InlineData("train.log-20251122", false)]
    [InlineData("train.out.3", false)]
    [InlineData("train.log.gz", false)]
    [InlineData("notes.md", false)]
    public void Rotated_and_compressed_copies_are_not_logs(string name, bool isLog) =>
        Assert.Equal(isLog, Defaults.IsLog(name));

    [Fact]
    public void Patterns_and_exclusions_are_configurable_globs()
    {
        var filter = new LogFileFilter(new WatchOptions { Patterns = ["*.?og*", "run_??.csv"], Exclude = ["*.[0-9]", "*.[!l]og"] });
        Assert.True(filter.IsLog("a.log"));
        Assert.True(filter.IsLog("a.LOGX"));
        Assert.False(filter.IsLog("a.log.1"));
        Assert.False(filter.IsLog("a.xog"));
        Assert.True(filter.IsLog("run_01.csv"));
        Assert.False(filter.IsLog("run_1.csv"));
    }

    private static WatchOptions ShippedWatchOptions()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var options = new WatchOptions();
        configuration.GetSection("Watch").Bind(options);
        return options;
    }
}
