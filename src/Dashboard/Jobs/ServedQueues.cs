namespace Dashboard.Jobs;

/// <summary>
/// Which GPU queues this process serves: a web instance its own slots' (<c>gpu0</c>, …: the runs of its
/// watch folders), a worker its node's (<c>NODE-gpu0</c>, …: the runs that node's agent ships).
/// </summary>
/// <param name="Node">The worker's node; null in a web instance.</param>
public sealed record ServedQueues(string? Node)
{
    public string Queue(int slot) => Node is null ? JobQueueNames.Local(slot) : JobQueueNames.OfNode(Node, slot);
}
