using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing.TensorBoard;

/// <summary>An event file Lightning 2.3's TensorBoardLogger wrote (see Fixtures/frameworks/lightning/PROVENANCE.md).</summary>
public sealed class LightningEventFileTests
{
    [Fact]
    public void An_event_file_with_only_hyperparameters_yields_no_metric_and_skips_nothing()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "frameworks", "lightning", "version_0", "events.out.tfevents.1721830887.medusa.ia.unc.edu.2411601.0");
        var bytes = File.ReadAllBytes(path);
        var parser = LogParsers.Create(Path.GetFileName(path), bytes);
        var records = new ParsedRecords();

        var consumed = parser.Parse(bytes, 0, records);

        Assert.Equal(LogFormat.TensorBoard, parser.Format);
        Assert.Equal(bytes.Length, consumed);
        // Lightning writes hp_metric = -1 at step 0 beside the hyperparameters: a placeholder, not a measurement.
        Assert.Empty(records.Points);
        Assert.Equal(0, records.SkippedBytes);
    }

    [Fact]
    public void An_hp_metric_the_training_logs_itself_is_kept()
    {
        var records = new ParsedRecords();
        var bytes = EventBytes.Concat(EventBytes.FileVersion(), EventBytes.Scalar("hp_metric", -1f, 0), EventBytes.Scalar("hp_metric", 0.75f, 100));

        LogParsers.Create("events.out.tfevents.1.host.1.0", bytes).Parse(bytes, 0, records);

        Assert.Equal([(100L, 0.75)], records.Points.Select(p => (p.Step, p.Value)));
    }
}
