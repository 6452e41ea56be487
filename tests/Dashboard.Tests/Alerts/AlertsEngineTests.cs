using System.Net;
using System.Net.Http.Json;
using Dashboard.Alerts;
using Dashboard.Core.Rules;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Alerts;

public sealed class AlertsEngineTests
{
    private static Task<List<AlertView>> AlertsAsync(TestHost host, long runId, string rule) =>
        TestHost.EventuallyAsync(
            async () => (await host.GetJsonAsync<List<AlertView>>($"/api/runs/{runId}/alerts")).Where(a => a.RuleId == rule).ToList(),
            alerts => alerts.Count > 0, $"a {rule} alert on run {runId}");

    [Fact]
    public async Task A_nan_in_a_watched_log_raises_a_critical_alert_that_the_api_serves_and_the_hub_pushes()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "nan.log", AlertLog.Lines(100, 500, _ => 0.4), untilStep: 500);
        await using var hub = await LiveHubClient.ConnectAsync(host.BaseAddress);
        await hub.InvokeAsync("Subscribe", run.Id);

        await TestHost.AppendAsync(log, AlertLog.Lines(600, 700, s => s == 600 ? double.NaN : 0.4));

        var pushed = await hub.NextAsync("alert", m => m.Body.GetProperty("ruleId").GetString() == "loss-nonfinite", TimeSpan.FromSeconds(10));
        Assert.Equal("critical", pushed.Body.GetProperty("severity").GetString());
        var alert = Assert.Single(await AlertsAsync(host, run.Id, "loss-nonfinite"));
        Assert.Equal(("Loss_D", AlertSeverity.Critical, 600L), (alert.Metric, alert.Severity, alert.FirstStep!.Value));
        Assert.Contains("reduce the learning rate", alert.Advice, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("gan", "nan"), (alert.Project, alert.RunName));

        // Finite again at 700: the alert clears, and stays listed as resolved.
        var resolved = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-nonfinite"), a => !a[0].Active, "the NaN alert to resolve");
        Assert.Equal(700, resolved[0].LastStep);
        Assert.Contains(await host.GetJsonAsync<List<AlertView>>("/api/alerts?active=false"), a => a.Id == alert.Id);
        Assert.DoesNotContain(await host.GetJsonAsync<List<AlertView>>("/api/alerts?active=true"), a => a.Id == alert.Id);
    }

    [Fact]
    public async Task The_rule_state_is_rebuilt_from_the_stored_points_after_a_restart()
    {
        await using var host = await TestHost.StartAsync();
        // Loss_D at 0.693 for 15 lines: the "stuck" rule needs 20 in a row.
        var (log, run) = await host.WriteRunAsync("gan", "stuck.log", AlertLog.Lines(100, 1500, _ => 0.693), untilStep: 1500);
        Assert.DoesNotContain(await host.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts"), a => a.RuleId == "loss-d-stuck");

        await host.RestartAsync();
        await TestHost.AppendAsync(log, AlertLog.Lines(1600, 2000, _ => 0.693));

        var alert = Assert.Single(await AlertsAsync(host, run.Id, "loss-d-stuck"));
        Assert.Equal((100L, true), (alert.FirstStep!.Value, alert.Active));
    }

    [Fact]
    public async Task An_alert_open_before_a_restart_keeps_its_row_and_resolves_when_the_condition_clears()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "high.log", AlertLog.Lines(100, 300, s => s == 300 ? 1.5 : 0.4), untilStep: 300);
        var raised = Assert.Single(await AlertsAsync(host, run.Id, "loss-d-high"));

        await host.RestartAsync();
        await TestHost.AppendAsync(log, AlertLog.Lines(400, 400, _ => 1.6));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 400);
        await TestHost.AppendAsync(log, AlertLog.Lines(500, 500, _ => 0.4));

        var after = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-high"), a => !a[0].Active, "the alert to resolve");
        var alert = Assert.Single(after);
        Assert.Equal((raised.Id, 300L, 500L), (alert.Id, alert.FirstStep!.Value, alert.LastStep!.Value));
    }

    [Fact]
    public async Task An_alert_that_rose_and_cleared_while_the_service_was_down_is_stored_once_after_the_restart()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "down.log", AlertLog.Lines(100, 200, _ => 0.4), untilStep: 200);
        await host.StopAsync();
        await TestHost.AppendAsync(log, AlertLog.Lines(300, 500, s => s == 300 ? 1.5 : 0.4));

        await host.RestartAsync();
        var alert = Assert.Single(await AlertsAsync(host, run.Id, "loss-d-high"));
        Assert.Equal((300L, 400L, false), (alert.FirstStep!.Value, alert.LastStep!.Value, alert.Active));

        // The next restart replays the same history: the alert keeps its one row. A new high value
        // after it shows the engine has rebuilt and handled a batch.
        await host.RestartAsync();
        await TestHost.AppendAsync(log, AlertLog.Lines(600, 700, s => s == 700 ? 1.5 : 0.4));
        var alerts = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-high"), a => a.Count > 1, "the alert at step 700");
        Assert.Equal([(300L, false), (700L, true)], alerts.Select(a => (a.FirstStep!.Value, a.Active)).Order());
    }

    [Fact]
    public async Task A_resume_from_an_earlier_step_rebuilds_the_rules_from_what_the_store_now_holds()
    {
        await using var host = await TestHost.StartAsync();
        var (log, run) = await host.WriteRunAsync("gan", "resume.log", AlertLog.Lines(100, 1000, s => s >= 900 ? 0 : 0.4), untilStep: 1000);
        Assert.True(Assert.Single(await AlertsAsync(host, run.Id, "loss-d-zero")).Active);

        // The trainer resumes from step 800: the zeros at 900 and 1000 are gone, the new ones are healthy.
        await TestHost.AppendAsync(log, AlertLog.Lines(800, 1200, _ => 0.4));

        var alerts = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-zero"), a => !a[0].Active, "the alert to resolve after the resume");
        Assert.Single(alerts);
    }

    [Fact]
    public async Task A_resume_keeps_the_history_before_its_step_once_and_replays_what_follows()
    {
        await using var host = await TestHost.StartAsync();
        // Zeros at 200-300 (raised, cleared at 400) and from 900 (open) when the trainer resumes from step 800.
        var (log, run) = await host.WriteRunAsync("gan", "history.log", AlertLog.Lines(100, 1000, s => s is >= 200 and <= 300 or >= 900 ? 0 : 0.4), untilStep: 1000);
        await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-zero"), a => a.Count == 2 && a.Count(x => x.Active) == 1, "the cleared and the open alert");

        await TestHost.AppendAsync(log, AlertLog.Lines(800, 1200, s => s == 1100 ? 0 : 0.4));

        // The history before step 800 is not replayed into the store again; what the resumed run did is.
        var alerts = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-zero"),
            a => a.Count == 3 && a.All(x => !x.Active), "the open alert resolved and the new one raised and cleared");
        Assert.Equal([200L, 900L, 1100L], alerts.Select(a => a.FirstStep!.Value).Order());
        Assert.Equal(400, alerts.Single(a => a.FirstStep == 200).LastStep);
    }

    [Fact]
    public async Task A_resume_on_a_long_run_goes_on_from_a_copy_of_the_rules_with_the_same_history()
    {
        await using var host = await TestHost.StartAsync();
        // 6,000 lines, 30,000 points: the rules take a copy of their state once they have read 20,000 points (here
        // at 4,500, the first commit, read from the store). Zeros at 1,000-1,100 (raised and cleared) and from 5,900
        // (open) when the trainer resumes from step 5,000, past the copy.
        static double Discriminator(long step) => step is >= 1_000 and <= 1_100 or >= 5_900 ? 0 : 0.4;
        var (log, run) = await host.WriteRunAsync("gan", "long.log", AlertLog.Lines(1, 4_500, Discriminator, every: 1), untilStep: 4_500);
        await TestHost.AppendAsync(log, AlertLog.Lines(4_501, 6_000, Discriminator, every: 1));
        var before = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-zero"), a => a.Count == 2 && a.Count(x => x.Active) == 1, "the cleared and the open alert");

        await TestHost.AppendAsync(log, AlertLog.Lines(5_000, 6_500, s => s is >= 6_200 and <= 6_300 ? 0 : 0.4, every: 1));

        var alerts = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-zero"),
            a => a.Count == 3 && a.All(x => !x.Active), "the open alert resolved and the new one raised and cleared");
        Assert.Equal([1_000L, 5_900L, 6_200L], alerts.Select(a => a.FirstStep!.Value).Order());
        var cleared = before.Single(a => a.FirstStep == 1_000);
        Assert.Equal((cleared.Id, cleared.LastStep), alerts.Single(a => a.FirstStep == 1_000) is var same ? (same.Id, same.LastStep) : default);
        Assert.Equal(alerts.Single(a => a.FirstStep == 6_200).LastStep, 6_300 + cleared.LastStep - 1_100);
    }

    [Fact]
    public async Task A_resume_the_rules_had_not_reached_yet_while_behind_leaves_the_same_history()
    {
        // Commits of a few lines each, and every commit that comes while another waits left out: the rules are
        // behind when the resume's commit comes, often before its step, and catch up from the store.
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Alerts:MaxQueuedPoints"] = "1", ["Ingest:BatchMaxPoints"] = "10" });
        var log = host.LogPath("gan", "behind.log");
        await TestHost.AppendAsync(log, AlertLog.Lines(100, 1000, s => s is >= 200 and <= 300 or >= 900 ? 0 : 0.4) + AlertLog.Lines(800, 1200, s => s == 1100 ? 0 : 0.4));
        var run = await host.WaitForRunAsync(r => r.Source == log && r.Step == 1200);

        var alerts = await TestHost.EventuallyAsync(() => AlertsAsync(host, run.Id, "loss-d-zero"),
            a => a.Any(x => x.FirstStep == 1100) && a.All(x => !x.Active), "the resumed run's alert raised and cleared");
        // The zeros at 900-1000 were replaced by the resume: whether the rules saw them before (raised, then
        // resolved at the rebuild) or only read the store afterwards (never raised), nothing of them stays open.
        Assert.Equal(400, alerts.Single(a => a.FirstStep == 200).LastStep);
        Assert.Equal(1200, alerts.Single(a => a.FirstStep == 1100).LastStep);
        Assert.All(alerts, a => Assert.Contains(a.FirstStep, new long?[] { 200, 900, 1100 }));
    }

    [Fact]
    public async Task Acknowledging_needs_the_api_key_and_is_kept()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = "secret-key-1" });
        var (_, run) = await host.WriteRunAsync("gan", "ack.log", AlertLog.Lines(100, 200, s => s == 200 ? 1.5 : 0.4), untilStep: 200);
        var alert = Assert.Single(await AlertsAsync(host, run.Id, "loss-d-high"));

        var refused = await host.Http.PostAsync($"/api/alerts/{alert.Id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{alert.Id}/acknowledge");
        request.Headers.Add("X-Api-Key", "secret-key-1");
        var accepted = await host.Http.SendAsync(request);
        accepted.EnsureSuccessStatusCode();
        Assert.NotNull((await accepted.Content.ReadFromJsonAsync<AlertView>(TestHost.Json))!.AcknowledgedAt);
        Assert.NotNull(Assert.Single(await AlertsAsync(host, run.Id, "loss-d-high")).AcknowledgedAt);

        using var missing = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/999999/acknowledge");
        missing.Headers.Add("X-Api-Key", "secret-key-1");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.SendAsync(missing)).StatusCode);
    }

    [Fact]
    public async Task Bad_filters_and_unknown_runs_answer_problem_json()
    {
        await using var host = await TestHost.StartAsync();
        var badSeverity = await host.Http.GetAsync("/api/alerts?severity=loud");
        Assert.Equal(HttpStatusCode.BadRequest, badSeverity.StatusCode);
        Assert.Equal("application/problem+json", badSeverity.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/runs/424242/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/runs/424242/bands")).StatusCode);
    }

    [Fact]
    public async Task A_run_with_the_guide_metric_names_gets_the_guide_bands_and_others_get_none()
    {
        await using var host = await TestHost.StartAsync();
        var (_, gan) = await host.WriteRunAsync("gan", "bands.log", AlertLog.Lines(100, 200, _ => 0.4), untilStep: 200);
        var (_, other) = await host.WriteRunAsync("vae", "other.log", "step 100 train/total_loss: 3.5\nstep 200 train/total_loss: 3.1\n", untilStep: 200);

        var bands = await host.GetJsonAsync<List<BandView>>($"/api/runs/{gan.Id}/bands");
        Assert.Contains(bands, b => b is { Metric: "Loss_D", FromStep: 0, ToStep: 1000, Min: 0.5, Max: 0.7 });
        Assert.Contains(bands, b => b.Metric == "Loss_CE");
        Assert.Empty(await host.GetJsonAsync<List<BandView>>($"/api/runs/{other.Id}/bands"));
    }
}
