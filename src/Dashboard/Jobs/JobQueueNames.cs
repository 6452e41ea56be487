using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Jobs;

/// <summary>
/// Hangfire queue names (lowercase letters, digits, '_' and '-'): <c>gpu0</c>, <c>gpu1</c>, … for the GPU
/// slots of the web instance itself (its own watch folders' runs), and <c>NODE-gpu0</c>, … for the slots of a
/// training node's worker (the runs its agent ships). A queue names its slot's index.
/// </summary>
public static class JobQueueNames
{
    public static string Local(int slot) => "gpu" + slot.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What a node's queues start with. A node name that is not already a queue name is lowercased, other
    /// characters become '_', and a hash of the real name is added, so two nodes never share queues.
    /// </summary>
    public static string NodePrefix(string node)
    {
        var safe = new string([.. node.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '_')]);
        if (safe != node)
            safe += "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node)))[..8];
        return safe + "-";
    }

    public static string OfNode(string node, int slot) => NodePrefix(node) + Local(slot);

    /// <summary>The slot index a queue names (the digits after its last "gpu"), or null when it names none.</summary>
    public static int? Slot(string queue)
    {
        var at = queue.LastIndexOf("gpu", StringComparison.Ordinal);
        return at >= 0 && (at == 0 || queue[at - 1] == '-')
            && int.TryParse(queue.AsSpan(at + 3), NumberStyles.None, CultureInfo.InvariantCulture, out var slot) ? slot : null;
    }
}
