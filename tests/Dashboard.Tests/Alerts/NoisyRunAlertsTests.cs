using System.Globalization;
using System.Text;
using Dashboard.Alerts;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;
using Dashboard.Core.Rules;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Alerts;

/// <summary>
/// A run that goes bad again and again (random losses, spikes, NaN bursts): the alerts the service
/// stores, however it groups its writes, are exactly those the rules raise and resolve on the log.
/// </summary>
public sealed class NoisyRunAlertsTests
{
    [Theory]
    [InlineData(null)]
    // One point: every commit that comes while another waits is left out, and its run caught up from the store.
    [InlineData(1L)]
    public async Task The_stored_alerts_of_a_noisy_run_are_the_ones_the_rules_define(long? maxQueuedPoints)
    {
        var log = NoisyLog(steps: 3000);
        var expected = Expected(log);
        Assert.Contains(expected, a => a.Rule == "loss-spike");
        Assert.Contains(expected, a => a.Rule == "loss-nonfinite" && !a.Active);

        await using var host = await TestHost.StartAsync(maxQueuedPoints is { } max ? new Dictionary<string, string?> { ["Alerts:MaxQueuedPoints"] = max.ToString(CultureInfo.InvariantCulture) } : null);
        // In thirty appends, so that the writer commits many batches one after another.
        var path = host.LogPath("gan", "noisy.log");
        foreach (var part in log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Chunk(100))
            await TestHost.AppendAsync(path, string.Join('\n', part) + "\n");
        var run = await host.WaitForRunAsync(r => r.Source == path && r.Step == 3000, timeoutMs: 30_000);
        // The last alert the rules define is the positive signal that the engine has seen the whole log.
        var stored = await TestHost.EventuallyAsync(
            async () => (await host.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts")).Select(a => new Alert(a.RuleId, a.Metric, a.FirstStep, a.Active)).Order().ToList(),
            alerts => alerts.Count >= expected.Count && alerts.Count(a => a.Active) == expected.Count(a => a.Active),
            "the rules' alerts of the noisy run", timeoutMs: 30_000);
        Assert.Equal(expected, stored);
    }

    private sealed record Alert(string Rule, string Metric, long? FirstStep, bool Active) : IComparable<Alert>
    {
        public int CompareTo(Alert? other) =>
            other is null ? 1 : (Rule, Metric, FirstStep ?? -1, Active).CompareTo((other.Rule, other.Metric, other.FirstStep ?? -1, other.Active));
    }

    /// <summary>What the rules raise on the log, line by line, and whether each alert still holds at its end.</summary>
    private static List<Alert> Expected(string log)
    {
        var engine = new RunRules(new RuleSet(GuideRules.Load()));
        var parser = new TextLogParser();
        var records = new ParsedRecords();
        var alerts = new List<TrackedAlert>();
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            parser.ParseLine(line, 0, records);
            engine.Observe(records.Points.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => new StoredPoint(p.Step, p.Value, 0)).ToList()));
            records.Clear();
            alerts.AddRange(engine.TakeChanges().Where(c => c.Kind == AlertChangeKind.Raised).Select(c => c.Alert));
        }
        return [.. alerts.Select(a => new Alert(a.RuleId, a.Metric, a.FirstStep, !a.Resolved)).Order()];
    }

    /// <summary>Losses drawn at random around healthy levels, a spike every few hundred steps, a burst of NaN now and then.</summary>
    private static string NoisyLog(int steps)
    {
        var random = new Random(5);
        var text = new StringBuilder();
        for (var step = 1; step <= steps; step++)
        {
            var nan = step % 700 is >= 350 and < 360;
            string Loss(double level) =>
                nan ? "nan" : (level * Math.Exp(random.NextDouble() - 0.5) * (random.Next(300) == 0 ? 50 : 1)).ToString("0.00000", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"Iter {step}/{steps} | Loss_CE: {Loss(1.0)} | Loss_FM: {Loss(0.02)} | Loss_ST: {Loss(0.6)} | Loss_D: {Loss(0.35)} | ST_Count: {random.Next(0, 14)}\n");
        }
        return text.ToString();
    }
}
