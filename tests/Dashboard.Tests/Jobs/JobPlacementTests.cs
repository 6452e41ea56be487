using Dashboard.Jobs;

namespace Dashboard.Tests.Jobs;

/// <summary>Where a run's checkpoints are, and which Hangfire queues serve them.</summary>
public sealed class JobPlacementTests
{
    [Theory]
    [InlineData("/data/runs/seg/train.log", null, "/data/runs/seg/train.log")]
    [InlineData("node-a:/data/runs/seg/train.log", "node-a", "/data/runs/seg/train.log")]
    [InlineData("GPU.Node 7:/x/a.log", null, null)]
    [InlineData("remote:project/run", null, null)]
    [InlineData(":/x/a.log", null, null)]
    public void A_runs_source_tells_its_machine_and_log(string source, string? node, string? log)
    {
        var location = RunLocation.Of(source);
        Assert.Equal(log, location?.LogPath);
        Assert.Equal(node, location?.Node);
    }

    [Theory]
    [InlineData("node-a:/data/runs/seg/train.log", "node-a:/data/runs", true)]
    [InlineData("node-a:/data/runs/seg/train.log", "node-a:/data/runs/", true)]
    [InlineData("node-a:/data/runs/seg/train.log", "node-b:/data/runs", false)]
    [InlineData("node-a:/data/runs/seg/train.log", "/data/runs", false)]
    [InlineData("node-a:/data/runs2/seg/train.log", "node-a:/data/runs", false)]
    [InlineData("/data/runs/seg/train.log", "/data/runs", true)]
    [InlineData("/data/runs/seg/train.log", "node-a:/data/runs", false)]
    public void An_automatic_policys_root_covers_runs_of_its_own_machine_only(string source, string root, bool covered) =>
        Assert.Equal(covered, RunLocation.Of(source)!.IsUnder(root));

    [Fact]
    public void Node_queues_are_valid_hangfire_names_and_distinct_nodes_never_share_them()
    {
        string[] nodes = ["node-a", "Node-A", "node_a", "gpu.box", "gpu_box", "ünïcode"];
        var queues = nodes.Select(n => JobQueueNames.OfNode(n, 1)).ToList();
        Assert.Equal("node-a-gpu1", queues[0]);
        Assert.Equal(nodes.Length, queues.Distinct().Count());
        Assert.All(queues, q => Assert.Matches("^[a-z0-9_-]+$", q));
        Assert.All(queues, q => Assert.Equal(1, JobQueueNames.Slot(q)));
        Assert.Equal(0, JobQueueNames.Slot(JobQueueNames.Local(0)));
        Assert.Null(JobQueueNames.Slot("default"));
        Assert.Null(JobQueueNames.Slot("mygpu1"));
    }

    [Theory]
    [InlineData("checkpoint_100.pth", "checkpoint_100.pth")]
    [InlineData("sub/iter_200.ckpt", "sub/iter_200.ckpt")]
    [InlineData("../../etc/secret.pth", null)]
    [InlineData("/etc/passwd", null)]
    [InlineData("notes.txt", null)]
    public void Another_nodes_checkpoint_is_checked_by_name_here_and_never_opened(string named, string? relative)
    {
        var found = RunCheckpoint.Find("node-a:/data/runs/seg/train.log", named);
        Assert.Equal(relative, found?.Relative);
        if (found is not null)
        {
            Assert.Equal("node-a", found.Node);
            Assert.True(found.Exists);
        }
    }
}
