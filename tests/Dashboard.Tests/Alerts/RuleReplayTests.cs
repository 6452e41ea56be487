using System.Globalization;
using System.Text;
using Dashboard.Alerts;
using Dashboard.Core.Rules;
using Dashboard.Storage;
using Dashboard.Storage.Points;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Alerts;

public sealed class RuleReplayTests
{
    private static readonly string[] Losses = ["Loss_CE", "Loss_FM", "Loss_ST", "Loss_D", "ST_Count"];

    [Fact]
    public async Task A_replay_leaves_copies_with_every_metric_read_as_far_that_a_resume_goes_on_from_as_from_the_first_point()
    {
        await using var host = await TestHost.StartAsync();
        // 6,000 steps of 5 metrics, stored in chunks of 1,024 points: the discriminator at zero from 1,000 to 1,100
        // (raised and cleared) and from 5,900 on (open).
        static double Discriminator(long step) => step is >= 1_000 and <= 1_100 or >= 5_900 ? 0 : 0.4;
        var (_, run) = await host.WriteRunAsync("gan", "replayed.log", AlertLog.Lines(1, 6_000, Discriminator, every: 1), untilStep: 6_000);
        var replay = host.Services.GetRequiredService<RuleReplay>();
        var copies = new RuleSnapshots(every: 2_000);

        var (full, resolved) = await replay.RebuildAsync(run.Id, historyFrom: null, snapshot: null, copies, CancellationToken.None);

        // A resume to step 5,000 goes on from a copy taken during the replay: each metric read up to the copy's step,
        // not one metric read to the end and the others not at all.
        const long resumedTo = 5_000;
        var copy = copies.Before(resumedTo);
        Assert.NotNull(copy);
        Assert.InRange(copy.LastStep!.Value, resumedTo - 2_000, resumedTo - 1);
        Assert.All(Losses, key => Assert.Equal(copy.LastStep, copy.LastStepOf(key)));
        var (resumed, resolvedSince) = await replay.RebuildAsync(run.Id, resumedTo, copy, new RuleSnapshots(), CancellationToken.None);

        Assert.Contains(resolved, alert => alert.RuleId == "loss-d-zero" && alert.FirstStep == 1_000);
        Assert.Contains(full.Open, alert => alert.RuleId == "loss-d-zero" && alert.FirstStep == 5_900);
        Assert.Equal(full.Open.Select(Describe).Order(), resumed.Open.Select(Describe).Order());
        Assert.Equal(resolved.Where(alert => AlertStore.HeldFrom(alert.LastStep, resumedTo)).Select(Describe), resolvedSince.Select(Describe));
        Assert.Equal(full.LastStep, resumed.LastStep);
    }

    [Fact]
    public async Task A_run_whose_rules_read_more_metrics_than_readers_allowed_is_replayed_metric_after_metric_without_copies()
    {
        await using var host = await TestHost.StartAsync();
        // 21 metrics, every one read by the rule; m21 high from 2,000 to 2,100 (raised and cleared) and from 2,900 on (open).
        var log = new StringBuilder();
        for (var step = 100; step <= 3_000; step += 100)
        {
            log.Append(CultureInfo.InvariantCulture, $"Iter {step}/3000");
            for (var m = 1; m <= RuleReplay.MaxReaders + 5; m++)
                log.Append(CultureInfo.InvariantCulture, $" | m{m:00}: {(m == RuleReplay.MaxReaders + 5 && step is >= 2_000 and <= 2_100 or >= 2_900 ? 5 : 0.5)}");
            log.Append('\n');
        }
        var (_, run) = await host.WriteRunAsync("many", "wide.log", log.ToString(), untilStep: 3_000);
        var high = new RuleDefinition { Kind = RuleKind.Above, Metrics = ["m*"], Threshold = 1, Message = "{metric} high" };
        var replay = new RuleReplay(host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>(), host.Services.GetRequiredService<IPointStore>(),
            new RuleSet(new Dictionary<string, RuleDefinition> { ["m-high"] = high }));
        var copies = new RuleSnapshots(every: 100);

        var (engine, resolved) = await replay.RebuildAsync(run.Id, historyFrom: null, snapshot: null, copies, CancellationToken.None);

        Assert.All(Enumerable.Range(1, RuleReplay.MaxReaders + 5), m => Assert.Equal(3_000, engine.LastStepOf($"m{m:00}")));
        // Resolved at the first step back under the threshold.
        Assert.Equal(("m21", 2_000L, 2_200L), Assert.Single(resolved) is var cleared ? (cleared.Metric, cleared.FirstStep!.Value, cleared.LastStep!.Value) : default);
        Assert.Equal(("m21", 2_900L), Assert.Single(engine.Open) is var open ? (open.Metric, open.FirstStep!.Value) : default);
        Assert.Equal(0, copies.Count);
    }

    private static string Describe(TrackedAlert alert) =>
        $"{alert.RuleId} {alert.Metric} {alert.FirstStep} {alert.LastStep} {alert.Value} {alert.Severity} {alert.Resolved}";
}
