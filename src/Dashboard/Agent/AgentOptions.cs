namespace Dashboard.Agent;

/// <summary>The agent role's settings (section <c>Agent</c>; <c>--server</c>, <c>--node</c>, <c>--api-key</c> on the command line).</summary>
public sealed class AgentOptions
{
    /// <summary>The web instance (or the proxy in front of several) the batches go to.</summary>
    public string? Server { get; set; }

    /// <summary>What the disk spool may hold while the server is away; past it the agent stops reading (the logs are the buffer then).</summary>
    public int MaxSpoolMegabytes { get; set; } = 1024;

    /// <summary>The longest wait between two tries to reach the server.</summary>
    public int MaxRetryDelayMs { get; set; } = 30_000;

    /// <summary>Why a node name (<c>--node</c>, key <c>Node</c>) cannot be one, or null.</summary>
    public static string? NodeProblem(string node) =>
        AgentBatch.IsNodeName(node) ? null
            : $"--node '{node}' (Node) must be 1 to {AgentBatch.MaxNodeLength} characters without spaces, colons or control characters.";

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem(string node)
    {
        if (string.IsNullOrWhiteSpace(Server))
            return "--server URL (Agent:Server) is required: the address of a web instance, such as http://dashboard:8080.";
        if (!Uri.TryCreate(Server, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            return $"--server '{Server}' is not an http(s) address.";
        if (NodeProblem(node) is { } problem)
            return problem;
        if (MaxSpoolMegabytes < 1)
            return "Agent:MaxSpoolMegabytes must be at least 1.";
        return null;
    }
}
