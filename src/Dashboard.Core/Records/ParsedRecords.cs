using System.Text.Json.Nodes;

namespace Dashboard.Core.Records;

/// <summary>
/// What a parser produced from a chunk of lines. Reused between chunks (Clear) so the hot path does
/// not allocate a new list per line.
/// </summary>
public sealed class ParsedRecords
{
    public List<MetricPoint> Points { get; } = [];
    public List<RunEvent> Events { get; } = [];

    /// <summary>Total steps of the run when a line or the config told it (`Iter 500/50000` gives 50000).</summary>
    public long? TotalSteps { get; set; }

    /// <summary>The run's configuration when this chunk captured it (nested, as logged).</summary>
    public JsonObject? Config { get; set; }

    /// <summary>Figures about the whole run when this chunk gave them (Hugging Face's closing train_runtime, train_loss, …): never config.</summary>
    public JsonObject? Summary { get; set; }

    /// <summary>Config files the log names, as written (the host reads those in the log's folder).</summary>
    public List<string> ConfigFiles { get; } = [];

    /// <summary>Bytes the parser could not use (corrupt records, bytes that are not text); shown on the run page.</summary>
    public long SkippedBytes { get; set; }

    public bool IsEmpty => Points.Count == 0 && Events.Count == 0 && TotalSteps is null && Config is null && Summary is null;

    public void Clear()
    {
        Points.Clear();
        Events.Clear();
        TotalSteps = null;
        Config = null;
        Summary = null;
        SkippedBytes = 0;
        ConfigFiles.Clear();
    }
}
