using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Ingestion;

namespace Dashboard.Agent;

/// <summary>
/// One batch an agent read from a log on its node, as it travels to <c>POST /api/agent/batches</c>: the source
/// (the path on the node, and the run it belongs to as the agent's watcher saw it), the byte range
/// <see cref="From"/>..<see cref="To"/> it was read from, what the parsers made of it, and the parser's state
/// at <see cref="To"/>. The server commits it only while its offset for the source is <see cref="From"/>, so a
/// batch sent twice is stored once.
/// </summary>
public sealed record AgentBatch(
    string Node,
    string Key,
    string Name,
    string Project,
    string? RunFolder,
    string? Series,
    bool IsHyperparameters,
    long From,
    long To,
    string ParserState,
    AgentPoints Points,
    IReadOnlyList<RunEvent> Events,
    long? TotalSteps,
    string? Config,
    string? Summary,
    long SkippedBytes,
    long SourceTimeMs)
{
    /// <summary>The wire format: the API's, with the points in columns (a batch holds thousands).</summary>
    public static JsonSerializerOptions Json => Api.WireFormat.Options;

    public static AgentBatch Of(string node, long from, IngestBatch batch) => new(
        node, batch.Source.Key, batch.Source.Name, batch.Source.Project, batch.Source.RunFolder, batch.Source.Series, batch.Source.IsHyperparameters,
        from, batch.Offset, JsonSerializer.Serialize(batch.ParserState), AgentPoints.Of(batch.Points), batch.Events,
        batch.TotalSteps, batch.ConfigJson, batch.SummaryJson, batch.SkippedBytes, batch.SourceTimeMs);

    public const int MaxNodeLength = 100;

    /// <summary>The key the server stores the source under: the node's name before the path (<c>gpu-node-2:/data/runs/a.log</c>).</summary>
    public static string StoredKey(string node, string path) => $"{node}:{path}";

    /// <summary>A node's name as it can lead a stored key: 1 to <see cref="MaxNodeLength"/> characters, no spaces, colons or control characters.</summary>
    public static bool IsNodeName(string? node) =>
        !string.IsNullOrEmpty(node) && node.Length <= MaxNodeLength && !node.Any(c => char.IsControl(c) || c == ':' || char.IsWhiteSpace(c));

    /// <summary>The batch as the server's writer takes it; its source and run folder named with the node.</summary>
    public IngestBatch ToIngestBatch() =>
        new(
            new SourceIdentity(StoredKey(Node, Key), Name, Project)
            {
                RunFolder = RunFolder is null ? null : StoredKey(Node, RunFolder),
                Series = Series,
                IsHyperparameters = IsHyperparameters,
            },
            Points.ToPoints(), Events, TotalSteps, Config, To,
            JsonSerializer.Deserialize<ParserState>(ParserState) ?? new ParserState(), SkippedBytes, SourceTimeMs)
        {
            SummaryJson = Summary,
            ExpectedOffset = From,
        };
}

/// <summary>
/// Points in columns: the metric names once, then per point the name's index, value, and its step and time as
/// the difference from the point before (mostly 0 or a small number: a third of the bytes to send and parse).
/// </summary>
[JsonConverter(typeof(AgentPointsJsonConverter))]
public sealed record AgentPoints(IReadOnlyList<string> Keys, int[] KeyIndex, long[] Step, double[] Value, long[] UnixMs)
{
    public int Count => KeyIndex.Length;

    public static AgentPoints Of(IReadOnlyList<MetricPoint> points)
    {
        var keys = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var (k, s, v, t) = (new int[points.Count], new long[points.Count], new double[points.Count], new long[points.Count]);
        var (step, unixMs) = (0L, 0L);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!index.TryGetValue(point.Key, out var at))
            {
                index[point.Key] = at = keys.Count;
                keys.Add(point.Key);
            }
            (k[i], s[i], v[i], t[i]) = (at, point.Step - step, point.Value, point.UnixMs - unixMs);
            (step, unixMs) = (point.Step, point.UnixMs);
        }
        return new AgentPoints(keys, k, s, v, t);
    }

    public List<MetricPoint> ToPoints()
    {
        var points = new List<MetricPoint>(Count);
        var (step, unixMs) = (0L, 0L);
        for (var i = 0; i < Count; i++)
        {
            (step, unixMs) = (unchecked(step + Step[i]), unchecked(unixMs + UnixMs[i]));
            points.Add(new MetricPoint(Keys[KeyIndex[i]], step, Value[i], unixMs));
        }
        return points;
    }

    /// <summary>Why these columns cannot be read as points, or null when they can.</summary>
    public string? Problem()
    {
        if (Step.Length != Count || Value.Length != Count || UnixMs.Length != Count)
            return "points: the columns k, s, v and t must have one entry per point each.";
        for (var i = 0; i < Count; i++)
        {
            if ((uint)KeyIndex[i] >= (uint)Keys.Count)
                return $"points.k[{i}]: {KeyIndex[i]} names no entry of points.keys.";
        }
        return null;
    }
}
