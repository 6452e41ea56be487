using Dashboard.Alerts;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Dashboard.Api;
using Dashboard.Core.Simulation;
using Dashboard.Reports;
using Dashboard.Storage;
using Dashboard.Storage.Entities;
using Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Tests.Reports;

public sealed partial class ReportsApiTests
{
    private static readonly Dictionary<string, string?> FastAutomatic = new() { ["Reports:AutomaticDelayMs"] = "100" };

    [Fact]
    public async Task Report_figures_match_values_computed_independently_from_the_log()
    {
        await using var host = await TestHost.StartAsync(FastAutomatic);
        var text = VaeLog.Text();
        var (_, run) = await host.WriteRunAsync("RadioDiff", "vae.log", text, untilStep: 20_000);

        var created = await CreateAsync(host, $"/api/runs/{run.Id}/reports");
        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        var report = json.RootElement.GetProperty("runs")[0];

        // Independently: the lines as printed, read back with a regex.
        var lines = LogLine().Matches(text).Select(m => (
            Time: DateTime.ParseExact(m.Groups["time"].Value, "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture),
            Step: long.Parse(m.Groups["step"].Value, CultureInfo.InvariantCulture),
            Total: double.Parse(m.Groups["total"].Value, CultureInfo.InvariantCulture),
            Disc: double.Parse(m.Groups["disc"].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(200, lines.Count);
        var seconds = (lines[^1].Time - lines[0].Time).TotalSeconds;
        var stepsPerSecond = (lines[^1].Step - lines[0].Step) / seconds;

        var throughput = report.GetProperty("throughput");
        Assert.Equal(19_900, throughput.GetProperty("timedSteps").GetInt64());
        Assert.Equal(100, throughput.GetProperty("logEvery").GetInt64());
        Assert.Equal(stepsPerSecond, throughput.GetProperty("stepsPerSecond").GetDouble(), 9);
        Assert.Equal(stepsPerSecond * 3600, throughput.GetProperty("stepsPerHour").GetDouble(), 6);
        Assert.Equal(2, throughput.GetProperty("batchSize").GetInt64());
        Assert.Equal(stepsPerSecond * 2, throughput.GetProperty("samplesPerSecond").GetDouble(), 9);

        var totals = lines.Select(l => l.Total).ToList();
        var mean = totals.Average();
        var sorted = totals.Order().ToList();
        var median = (sorted[99] + sorted[100]) / 2;
        var std = Math.Sqrt(totals.Sum(v => (v - mean) * (v - mean)) / totals.Count);
        var minAt = lines.MinBy(l => l.Total);
        var maxAt = lines.MaxBy(l => l.Total);
        var loss = Metric(report, "train/total_loss");
        Assert.Equal(200, loss.GetProperty("count").GetInt64());
        Assert.Equal(totals[0], loss.GetProperty("initial").GetProperty("value").GetDouble());
        Assert.Equal(totals[^1], loss.GetProperty("final").GetProperty("value").GetDouble());
        Assert.Equal(minAt.Step, loss.GetProperty("min").GetProperty("step").GetInt64());
        Assert.Equal(minAt.Total, loss.GetProperty("min").GetProperty("value").GetDouble());
        Assert.Equal(maxAt.Step, loss.GetProperty("max").GetProperty("step").GetInt64());
        Assert.Equal(mean, loss.GetProperty("mean").GetDouble(), 6);
        Assert.Equal(median, loss.GetProperty("median").GetDouble(), 9);
        Assert.Equal(std, loss.GetProperty("stdDev").GetDouble(), 6);
        // Positive to negative: an absolute change, never a percentage.
        Assert.True(totals[0] > 0 && totals[^1] < 0);
        Assert.Equal(JsonValueKind.Null, loss.GetProperty("change").GetProperty("percent").ValueKind);
        Assert.Equal(totals[^1] - totals[0], loss.GetProperty("change").GetProperty("absolute").GetDouble(), 6);

        var firstOn = lines.First(l => l.Disc != 0).Step;
        var switched = Assert.Single(report.GetProperty("switches").EnumerateArray(), s => s.GetProperty("key").GetString() == "train/disc_factor");
        Assert.Equal(firstOn, switched.GetProperty("changedAtStep").GetInt64());
        Assert.Equal(2, report.GetProperty("phases").GetArrayLength());

        var milestones = report.GetProperty("milestones").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(k => k * 2000L), milestones.Select(m => m.GetProperty("step").GetInt64()));
        var atHalf = milestones[4].GetProperty("values").EnumerateArray().Single(v => v.GetProperty("key").GetString() == "train/total_loss");
        Assert.Equal(lines.Single(l => l.Step == 10_000).Total, atHalf.GetProperty("value").GetDouble());

        var lr = Assert.Single(report.GetProperty("learningRates").EnumerateArray());
        Assert.Contains("precision", lr.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Finished_run_gets_one_automatic_report()
    {
        await using var host = await TestHost.StartAsync(FastAutomatic);
        var (log, run) = await host.WriteRunAsync("RadioDiff", "auto.log", VaeLog.Text(totalSteps: 3_000), untilStep: 3_000);

        var reports = await TestHost.EventuallyAsync(() => host.GetJsonAsync<List<ReportListItem>>("/api/reports"), r => r.Count > 0, "an automatic report");
        var report = Assert.Single(reports);
        Assert.True(report.Automatic);
        Assert.Equal([run.Id], report.Runs);

        // More commits of the finished run do not make another: a run finished after them gets its report
        // from the same reporter, which has seen those commits first.
        await TestHost.AppendAsync(log, "Training finished.\n");
        await Ingested.ReadToEndAsync(host, log);
        var (_, later) = await host.WriteRunAsync("RadioDiff", "later.log", VaeLog.Text(totalSteps: 3_000), untilStep: 3_000);
        var all = await TestHost.EventuallyAsync(() => host.GetJsonAsync<List<ReportListItem>>("/api/reports"), r => r.Any(x => x.Runs.Contains(later.Id)), "the later run's report");
        Assert.Single(all, r => r.Runs.Contains(run.Id));
    }

    [Fact]
    public async Task Report_is_frozen_when_made()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (log, run) = await host.WriteRunAsync("RadioDiff", "frozen.log", VaeLog.Text(totalSteps: 3_000, to: 2_000), untilStep: 2_000);
        var created = await CreateAsync(host, $"/api/runs/{run.Id}/reports");
        var before = await host.Http.GetStringAsync($"/r/{created.Token}.json");
        var csvBefore = await host.Http.GetStringAsync($"/r/{created.Token}/points.csv");

        await TestHost.AppendAsync(log, VaeLog.Text(totalSteps: 3_000, from: 2_100));
        await host.WaitForRunAsync(r => r.Id == run.Id && r.Step == 3_000);

        Assert.Equal(before, await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        Assert.Equal(csvBefore, await host.Http.GetStringAsync($"/r/{created.Token}/points.csv"));
        var later = await CreateAsync(host, $"/api/runs/{run.Id}/reports");
        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{later.Token}.json"));
        Assert.Equal(30, Metric(json.RootElement.GetProperty("runs")[0], "train/total_loss").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Markdown_csv_and_svg_exports_carry_the_reports_data()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("RadioDiff", "exports.log", VaeLog.Text(totalSteps: 3_000), untilStep: 3_000);
        var created = await CreateAsync(host, $"/api/runs/{run.Id}/reports");
        Assert.Matches("^[A-Za-z0-9_-]{22}$", created.Token);
        Assert.Equal(new Uri(host.BaseAddress, $"/r/{created.Token}").ToString(), created.Url);

        var md = await host.Http.GetAsync($"/r/{created.Token}.md");
        Assert.Equal("text/markdown", md.Content.Headers.ContentType!.MediaType);
        var markdown = await md.Content.ReadAsStringAsync();
        var images = MarkdownImage().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(images);
        foreach (var image in images)
        {
            Assert.StartsWith(created.Url + "/charts/", image);
            var svg = await host.Http.GetAsync(new Uri(image).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
            Assert.Equal("svg", XDocument.Parse(await svg.Content.ReadAsStringAsync()).Root!.Name.LocalName);
        }

        var metrics = await host.GetJsonAsync<List<MetricSummary>>($"/api/runs/{run.Id}/metrics");
        var csv = (await host.Http.GetStringAsync($"/r/{created.Token}/points.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("run_id,run,metric,step,value,unix_ms", csv[0]);
        Assert.Equal(metrics.Sum(m => m.Count), csv.Length - 1);
        Assert.Contains($"{run.Id},exports,train/total_loss,3000,", csv.Last(l => l.Contains("train/total_loss")));
    }

    [Fact]
    public async Task Evaluation_best_and_its_checkpoint_come_from_the_log_and_the_folder()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var simulator = new S4GanLogSimulator(totalSteps: 3_000, evaluateEvery: 500, seed: 11);
        var text = string.Join('\n', simulator.Lines()) + "\n";
        var (log, run) = await host.WriteRunAsync("S4GAN_Train", "s4gan.log", text, untilStep: 3_000);
        var validation = ValidationLine().Matches(text).Select((m, i) => (Step: (i + 1) * 500L, Value: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
        var best = validation.First(v => v.Value == validation.Max(x => x.Value));
        foreach (var step in validation.Select(v => v.Step))
            await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(log)!, $"checkpoint_{step}.pth"), [1]);
        await TestHost.EventuallyAsync(() => CheckpointCountAsync(host, run.Id), n => n == validation.Count, "checkpoint events");

        var created = await CreateAsync(host, $"/api/runs/{run.Id}/reports");
        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        var report = json.RootElement.GetProperty("runs")[0];

        var found = report.GetProperty("bestEvaluation");
        Assert.Equal("val/mIoU", found.GetProperty("key").GetString());
        Assert.Equal(best.Step, found.GetProperty("best").GetProperty("step").GetInt64());
        Assert.Equal(best.Value, found.GetProperty("best").GetProperty("value").GetDouble());
        Assert.Equal($"checkpoint_{best.Step}.pth", report.GetProperty("checkpoint").GetProperty("name").GetString());
        // A log line every 100 iterations: the simulator's lines carry no time, so no claim is made from them.
        Assert.Equal(3_000, report.GetProperty("run").GetProperty("step").GetInt64());
    }

    [Fact]
    public async Task Comparison_report_sets_runs_side_by_side_with_hostile_names_encoded()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        const string hostile = "<img src=x onerror=alert(1)>";
        var (_, a) = await host.WriteRunAsync("IRT4", hostile + ".log", VaeLog.Text(totalSteps: 3_000, batchSize: 32), untilStep: 3_000);
        var (_, b) = await host.WriteRunAsync("IRT4", "a&b.log", VaeLog.Text(totalSteps: 2_000, batchSize: 16), untilStep: 2_000);

        var created = await CreateAsync(host, "/api/reports", new { runs = new[] { a.Id, b.Id } });

        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        Assert.Equal("comparison", json.RootElement.GetProperty("kind").GetString());
        var differences = json.RootElement.GetProperty("comparison").GetProperty("configDifferences").EnumerateArray()
            .ToDictionary(d => d.GetProperty("key").GetString()!, d => d.GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList());
        Assert.Equal(["32", "16"], differences["trainer.batch_size"]);
        Assert.Equal(["3000", "2000"], differences["trainer.train_num_steps"]);

        var html = await host.Http.GetStringAsync($"/r/{created.Token}");
        Assert.DoesNotContain(hostile, html);
        var document = new HtmlParser().ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("#report-page img"));
        Assert.Contains(hostile, document.QuerySelectorAll("[data-role='name']").Select(e => e.TextContent));
        Assert.Contains("a&b", document.QuerySelectorAll("[data-role='name']").Select(e => e.TextContent));
        Assert.NotNull(document.QuerySelector("[data-role='config-differences'] tr[data-key='trainer.batch_size']"));

        var markdown = await host.Http.GetStringAsync($"/r/{created.Token}.md");
        Assert.DoesNotContain(hostile, markdown);

        var list = new HtmlParser().ParseDocument(await host.Http.GetStringAsync("/reports"));
        var row = list.QuerySelector($"#reports-table tr[data-token='{created.Token}']")!;
        Assert.Equal($"/r/{created.Token}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains(hostile, row.QuerySelector("a")!.TextContent);
        Assert.Empty(list.QuerySelectorAll("#reports-table img"));
        Assert.Contains("/api/reports", await host.Http.GetStringAsync("/openapi/v1.json"));
        foreach (var id in json.RootElement.GetProperty("charts").EnumerateArray().Select(c => c.GetProperty("id").GetString()))
            XDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}/charts/{id}.svg"));
    }

    [Fact]
    public async Task Alerts_raised_during_the_run_are_in_its_report_with_their_advice()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        // Loss_ST stays 0.000 after iteration 1,000: the guide's "confidence threshold too high".
        var (_, run) = await host.WriteRunAsync("S4GAN_Train", "alerts.log", LogLines.IterRange(100, 6000), untilStep: 6000);
        var raised = (await TestHost.EventuallyAsync(
            () => host.GetJsonAsync<List<AlertView>>($"/api/runs/{run.Id}/alerts"),
            alerts => alerts.Any(a => a.RuleId == "loss-st-always-zero"), "the rules engine's alert")).Single(a => a.RuleId == "loss-st-always-zero");

        var created = await CreateAsync(host, $"/api/runs/{run.Id}/reports");

        using var json = JsonDocument.Parse(await host.Http.GetStringAsync($"/r/{created.Token}.json"));
        var alert = Assert.Single(json.RootElement.GetProperty("runs")[0].GetProperty("alerts").EnumerateArray(), a => a.GetProperty("ruleId").GetString() == "loss-st-always-zero");
        Assert.Equal(("warning", 1100), (alert.GetProperty("severity").GetString(), alert.GetProperty("firstStep").GetInt32()));
        var conclusions = json.RootElement.GetProperty("conclusions").EnumerateArray().ToList();
        Assert.Contains(conclusions, c => c.GetProperty("kind").GetString() == "alert" && c.GetProperty("text").GetString()!.Contains(raised.Message));
        Assert.Contains(conclusions, c => c.GetProperty("kind").GetString() == "recommendation" && c.GetProperty("text").GetString() == raised.Advice);
        var html = new HtmlParser().ParseDocument(await host.Http.GetStringAsync($"/r/{created.Token}"));
        Assert.Contains(raised.Message, html.QuerySelector("table[data-role='alerts']")!.TextContent);
    }

    [Fact]
    public async Task Revoked_report_answers_404_at_every_url()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("p", "revoke.log", VaeLog.Text(totalSteps: 1_000), untilStep: 1_000);
        var created = await CreateAsync(host, $"/api/runs/{run.Id}/reports");
        string[] urls = [$"/r/{created.Token}", $"/r/{created.Token}.md", $"/r/{created.Token}.json", $"/r/{created.Token}/points.csv", $"/r/{created.Token}/charts/c1.svg"];
        foreach (var url in urls)
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(url)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Http.DeleteAsync($"/api/reports/{created.Token}")).StatusCode);

        foreach (var url in urls)
            Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(url)).StatusCode);
        Assert.Empty(await host.GetJsonAsync<List<ReportListItem>>("/api/reports"));
        await AssertProblemAsync(await host.Http.DeleteAsync($"/api/reports/{created.Token}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_get_problem_details()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false" });
        var (_, run) = await host.WriteRunAsync("p", "bad.log", VaeLog.Text(totalSteps: 1_000), untilStep: 1_000);

        await AssertProblemAsync(await host.Http.PostAsync("/api/runs/999999/reports", null), HttpStatusCode.NotFound);
        await AssertProblemAsync(await PostRawAsync(host, "/api/reports", "{\"runs\": [1, "), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await PostRawAsync(host, "/api/reports", "{\"runs\": \"all\"}"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await PostRawAsync(host, "/api/reports", ""), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await host.Http.PostAsJsonAsync("/api/reports", new { runs = new[] { run.Id } }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await host.Http.PostAsJsonAsync("/api/reports", new { runs = new[] { run.Id, run.Id } }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await host.Http.PostAsJsonAsync("/api/reports", new { runs = new[] { run.Id, 999_999 } }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await host.Http.GetAsync("/r/not-a-token.json"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/r/AAAAAAAAAAAAAAAAAAAAAA")).StatusCode);
        Assert.Empty(await host.GetJsonAsync<List<ReportListItem>>("/api/reports"));
    }

    [Fact]
    public async Task Making_and_revoking_need_the_api_key_and_reading_needs_none()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Reports:Automatic"] = "false", ["Auth:ApiKey"] = "sekret-key-123" });
        var run = await IngestAsync(host);

        await AssertProblemAsync(await host.Http.PostAsync($"/api/runs/{run}/reports", null), HttpStatusCode.Unauthorized);
        using var make = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{run}/reports");
        make.Headers.Add("X-Api-Key", "sekret-key-123");
        var made = await host.Http.SendAsync(make);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var created = (await made.Content.ReadFromJsonAsync<ReportsEndpoints.CreatedReport>(TestHost.Json))!;

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/r/{created.Token}")).StatusCode);
        await AssertProblemAsync(await host.Http.DeleteAsync($"/api/reports/{created.Token}"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/r/{created.Token}.json")).StatusCode);
    }

    private static async Task<long> IngestAsync(TestHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest")
        {
            Content = JsonContent.Create(new { project = "remote", run = "keyed", lines = VaeLog.Text(totalSteps: 500).Split('\n', StringSplitOptions.RemoveEmptyEntries) }),
        };
        request.Headers.Add("X-Api-Key", "sekret-key-123");
        var response = await host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("runId").GetInt64();
    }

    internal static async Task<ReportsEndpoints.CreatedReport> CreateAsync(TestHost host, string url, object? body = null)
    {
        var response = body is null ? await host.Http.PostAsync(url, null) : await host.Http.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<ReportsEndpoints.CreatedReport>(TestHost.Json))!;
        Assert.Equal(created.Url, response.Headers.Location!.ToString());
        return created;
    }

    private static Task<HttpResponseMessage> PostRawAsync(TestHost host, string url, string body) =>
        host.Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
    }

    private static JsonElement Metric(JsonElement run, string key) =>
        run.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == key);

    private static async Task<int> CheckpointCountAsync(TestHost host, long runId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        return await db.RunEvents.CountAsync(e => e.RunId == runId && e.Kind == Core.Records.RunEventKind.CheckpointSaved);
    }

    [GeneratedRegex(@"^(?<time>\S+ \S+) \[Train Step\] (?<step>\d+)/\d+: train/total_loss: (?<total>\S+), train/rec_loss: \S+, train/disc_factor: (?<disc>[^,]+),", RegexOptions.Multiline)]
    private static partial Regex LogLine();

    [GeneratedRegex(@"^Validation mIoU: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ValidationLine();

    [GeneratedRegex(@"!\[[^\]]*\]\((\S+?\.svg)\)")]
    private static partial Regex MarkdownImage();
}
