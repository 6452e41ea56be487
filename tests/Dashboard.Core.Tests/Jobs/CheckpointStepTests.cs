using System.Text.Json.Nodes;
using Dashboard.Core.Jobs;

namespace Dashboard.Core.Tests.Jobs;

public sealed class CheckpointStepTests
{
    [Theory]
    [InlineData("checkpoint_5000.pth", null, 5000L, false)]
    [InlineData("checkpoint_5000.pth", 500L, 5000L, false)]
    [InlineData("model-7.pt", null, 7L, false)]
    [InlineData("model-7.pt", 500L, 3500L, false)]
    [InlineData("iter_7.pth", 500L, 7L, false)]
    [InlineData("epoch=3-step=1500.ckpt", 1000L, 1500L, false)]
    [InlineData("best_model.pth", 500L, null, true)]
    [InlineData("model_best.pth", null, null, true)]
    [InlineData("best_model_12000.pth", null, 12000L, true)]
    [InlineData("bestiary.pt", null, null, false)]
    [InlineData("model-00001-of-00002.safetensors", 500L, null, false)]
    [InlineData("; rm -rf x $(id).pth", null, null, false)]
    public void Step_comes_from_the_name_and_a_bare_count_times_the_save_interval(string name, long? interval, long? step, bool best) =>
        Assert.Equal(new CheckpointName(step, best), CheckpointStep.Infer(name, interval));

    [Fact]
    public void The_save_interval_is_found_anywhere_in_the_run_configuration()
    {
        Assert.Equal(500, CheckpointStep.SaveInterval(JsonNode.Parse("""{"train": {"optim": {"lr": 0.1}, "checkpoint": {"save_interval": 500}}}""")));
        Assert.Equal(2000, CheckpointStep.SaveInterval(JsonNode.Parse("""{"save_steps": 2000.0}""")));
        Assert.Null(CheckpointStep.SaveInterval(JsonNode.Parse("""{"save_interval": "often", "save_every": 0.5, "save_freq": -3}""")));
        Assert.Null(CheckpointStep.SaveInterval(null));
    }
}
