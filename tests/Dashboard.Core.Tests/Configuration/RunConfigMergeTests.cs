using System.Text.Json.Nodes;
using Dashboard.Core.Configuration;

namespace Dashboard.Core.Tests.Configuration;

public sealed class RunConfigMergeTests
{
    [Fact]
    public void Update_replaces_entries_of_the_same_name_and_keeps_the_others()
    {
        var current = JsonNode.Parse("""{"model": {"depth": 50}, "config.yaml": {"lr": 0.1}}""")!.AsObject();
        var update = JsonNode.Parse("""{"config.yaml": {"lr": 0.01}, "args.json": {"seed": 7}}""")!.AsObject();

        var merged = RunConfigFiles.Merge(current, update);

        Assert.Equal("""{"model":{"depth":50},"config.yaml":{"lr":0.01},"args.json":{"seed":7}}""", merged.ToJsonString());
        Assert.Equal(0.1, (double)current["config.yaml"]!["lr"]!);
    }

    [Fact]
    public void Merge_into_nothing_is_the_update()
    {
        var update = JsonNode.Parse("""{"a": [1, 2]}""")!.AsObject();
        Assert.Equal("""{"a":[1,2]}""", RunConfigFiles.Merge(null, update).ToJsonString());
    }
}
