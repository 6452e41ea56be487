using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Collections.Concurrent;
using System.Diagnostics;
using Dashboard.Core.Simulation;
using Dashboard.Tests.Browser;
using Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Run pages in Chromium against the real service binary: (a) a log line's newline → the point drawn
/// in an open run page (the Plotly data of every chart on the page's first screen holds the new step; one
/// below it draws its points when scrolled to, timed too), one line at a time with one page
/// open; (b) the same while 50 run pages are open and 100 runs each write 2 lines a second; (c) the
/// service's RSS per open run page, and how it grows over the minutes of live updates; (d) the run page
/// of a 10,000,000-point run (5 metrics × 2,000,000): navigation start → every chart drawn.
/// The page times are read in the page (<see cref="PlotlyDrawRecorder"/>) and set against the
/// writer's clock (<see cref="PageClock"/>).
/// </summary>
public static class PagesBenchmark
{
    private const int TotalSteps = 50_000;
    private const int HistorySteps = 200;
    private const int Warmup = 10;
    private const float PageTimeoutMs = 120_000;

    /// <summary>
    /// In a page's clock: when every chart had set data-loaded; when each chart was drawn (data-loaded and
    /// Plotly's data on its plot div: Plotly.Blazor queues a newPlot until plotly.js has run, and the chart
    /// sets data-loaded when the call returns, so data-loaded alone can come before the chart is drawn);
    /// and when the circuit said it was live.
    /// </summary>
    private const string LoadWatch = """
        (() => {
          const clock = () => performance.timeOrigin + performance.now();
          const seen = new WeakSet();
          const check = () => {
            const at = clock();
            if (window.__connected === undefined && document.querySelector("[data-live='connected']")) window.__connected = at;
            const charts = document.querySelectorAll('.chart');
            if (charts.length === 0) return;
            let loaded = 0, drawn = 0;
            for (const c of charts) {
              if (c.dataset.loaded !== 'true') continue;
              loaded++;
              if (!(c.querySelector('.js-plotly-plot')?.data?.[0]?.x?.length > 0)) continue;
              drawn++;
              if (!seen.has(c)) { seen.add(c); (window.__eachDrawn ??= []).push(at); }
            }
            if (loaded === charts.length && window.__allLoaded === undefined) window.__allLoaded = at;
            if (drawn === charts.length && window.__allDrawn === undefined) { window.__allDrawn = at; window.__charts = charts.length; }
          };
          // Only the attributes it reads: recording every attribute a Plotly drawing sets would slow the drawing it times.
          new MutationObserver(check).observe(document, { subtree: true, childList: true, attributeFilter: ['data-loaded', 'data-live'] });
        })();
        """;

    private const string AllChartsDrawn = """
        () => {
          const charts = [...document.querySelectorAll('.chart')];
          return charts.length > 0 && charts.every(c => c.dataset.loaded === 'true' && c.querySelector('.js-plotly-plot')?.data?.[0]?.x?.length > 0);
        }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var pages = ServiceProcess.Option(args, "--pages", 50);
        var runs = Math.Max(pages, ServiceProcess.Option(args, "--runs", 100));
        var rate = ServiceProcess.Option(args, "--rate", 2);
        var samples = ServiceProcess.Option(args, "--samples", 100);
        var minutes = args.SkipWhile(a => a != "--minutes").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1.0);
        var bigLines = ServiceProcess.Option(args, "--lines", 2_000_000);
        var navigations = ServiceProcess.Option(args, "--navigations", 3);
        var othersNice = ServiceProcess.Option(args, "--others-nice", 19);
        var profile = ServiceProcess.Option(args, "--profile");
        var trace = ServiceProcess.Option(args, "--trace");
        Console.WriteLine($"Run pages in headless Chromium; machine: {Environment.ProcessorCount} cores, load average before: {ServiceProcess.LoadAverage()}");

        var (playwright, browser) = await ChromiumLaunch.StartAsync();
        var niced = othersNice > 0 && pages > 1 ? NicedChromium(othersNice) : null;
        IBrowser? others = null;
        try
        {
            if (niced is not null)
            {
                var options = ChromiumLaunch.Options();
                options.ExecutablePath = niced;
                others = await playwright.Chromium.LaunchAsync(options);
            }
            var live = await LiveAsync(browser, others ?? browser, pages, runs, rate, samples, minutes, profile, trace);
            var big = bigLines > 0 ? await BigRunAsync(browser, bigLines, navigations, profile) : null;
            Print(live, big, pages, runs, rate, minutes, bigLines, niced is null ? 0 : othersNice);
            return 0;
        }
        finally
        {
            if (others is not null)
                await others.CloseAsync();
            await browser.CloseAsync();
            playwright.Dispose();
            if (niced is not null)
                File.Delete(niced);
        }
    }

    /// <param name="Charts">Those on the first screen, whose drawing is timed.</param>
    private sealed record OpenPage(IPage Page, int Run, int Charts, int AllCharts, double ClockOffset);

    /// <summary>
    /// Chromium at a lower priority, for the pages besides the one measured: they stand for browsers on the
    /// team's own machines. On one machine with all the browsers (a fifth of a core per run page taking 2 lines
    /// a second), 50 pages at the same priority measure the browsers' contention for the cores, not the service.
    /// </summary>
    private static string NicedChromium(int nice)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dashboard-bench-chromium-nice{nice}-{Environment.ProcessId}.sh");
        // Playwright starts the browser in its own session, which Linux schedules as a group of its own beside the
        // service's (autogroup): a process's nice counts only inside its group, so the group's is set too.
        File.WriteAllText(path, $"#!/bin/sh\necho {nice} > /proc/self/autogroup 2>/dev/null\nexec nice -n {nice} {ChromiumLaunch.ChromiumPath} \"$@\"\n");
        // The bench reads /proc: Linux only, as is nice.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <param name="All">Newline → every chart drew the step (ms, sorted).</param>
    /// <param name="First">Newline → the first chart drew it.</param>
    private sealed record Latencies(List<double> All, List<double> First, int Lost)
    {
        public double P(double percent) => Percentile.Of(All, percent);
    }

    private sealed record LiveFigures(
        Latencies OnePage, List<double> OnePageHub, PlotlyCallTimer.Calls OnePagePlotly, double OnePageCatchUpMs, int AllCharts, Latencies ManyPages, Latencies OtherPages, int Charts,
        double RssNoPageMb, double RssOnePageMb, double RssAllPagesMb, double OpenSeconds,
        List<(double Minutes, double RssMb)> RssDuringLive, long Written, double ServiceCpuShare, double MachineBusyShare);

    private sealed record BigFigures(List<Navigation> Cold, List<Navigation> Warm, int Charts, double IngestSeconds);

    /// <summary>One navigation, each time in ms from the GotoAsync call, and the page's calls into plotly.js.</summary>
    private sealed record Navigation(double AllDrawn, double AllLoaded, double Connected, double Html, double DomContentLoaded, double PlotlyLoaded, double PlotlyEvaluated, string EachDrawn, PlotlyCallTimer.Calls Calls);

    /// <param name="others">Where the pages besides the first open: the same browser, or one at a lower priority.</param>
    private static async Task<LiveFigures> LiveAsync(IBrowser browser, IBrowser others, int pages, int runs, int rate, int samples, double minutes, string? profile, string? trace)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-pages-bench-").FullName;
        var watch = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(watch, "team")).FullName;
        // Each run its own healthy S4GAN simulator (its seed), one line a step: the values stay in the guide's bands.
        var logs = Enumerable.Range(0, runs).Select(i => new S4GanLogSimulator(TotalSteps, logEvery: 1, evaluateEvery: 0, seed: 100 + i, learningRates: false).Lines().GetEnumerator()).ToArray();
        var writers = new FileStream[runs];
        try
        {
            for (var i = 0; i < runs; i++)
            {
                writers[i] = new FileStream(Path.Combine(folder, $"run{i:000}.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
                var history = new StringBuilder();
                for (var line = 0; line <= HistorySteps; line++)
                    history.Append(Next(logs[i]).Line).Append('\n');
                writers[i].Write(Encoding.UTF8.GetBytes(history.ToString()));
            }
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), watch, [], async (child, http) =>
            {
                var ids = await WaitForRunsAsync(http, runs, HistorySteps);
                await ServiceProcess.WaitUntilIdleAsync(child.Id);
                var rssNone = RssMb(child.Id);
                var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
                await PlotlyCallTimer.StartAsync(context);
                var othersContext = others == browser ? context : await others.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
                try
                {
                    // (a) one page open, one line at a time; a hub client on the same run shows what the shared pipeline took.
                    var first = await OpenAsync(context, http.BaseAddress!, ids, 0);
                    Console.WriteLine($"(a) page of run000 open ({first.AllCharts} charts, {first.Charts} on the first screen); page clock offset {first.ClockOffset:0.00} ms");
                    var profiler = profile is null ? null : await PageProfiler.StartAsync(first.Page);
                    var tracer = trace is null ? null : await PageTracer.StartAsync(first.Page);
                    var (onePage, onePageHub, onePagePlotly, catchUp) = await OneLineAtATimeAsync(first, http.BaseAddress!, ids[0], writers[0], logs[0], samples);
                    if (tracer is not null)
                        Console.WriteLine($"(a) the page's timeline trace while it drew those lines: {trace}; {await tracer.StopAsync(trace!)}");
                    if (profiler is not null)
                    {
                        await profiler.StopAsync(profile!);
                        Console.WriteLine($"(a) the page's CPU profile while it drew those lines: {profile} (open it in Chromium's DevTools, Performance)");
                    }
                    Console.WriteLine($"(a) {onePage.All.Count} lines: p50 {onePage.P(50):0.0} ms, p99 {onePage.P(99):0.0} ms (first chart p50 {Percentile.Of(onePage.First, 50):0.0} ms, hub message p50 {Percentile.Of(onePageHub, 50):0.0} ms); plotly.js calls: {onePagePlotly}");
                    await ServiceProcess.WaitUntilIdleAsync(child.Id);
                    var rssOne = RssMb(child.Id);

                    // (b) and (c): the other pages, then every run writing.
                    var open = new List<OpenPage> { first };
                    var opening = Stopwatch.StartNew();
                    for (var p = 1; p < pages; p++)
                        open.Add(await OpenAsync(othersContext, http.BaseAddress!, ids, p));
                    var openSeconds = opening.Elapsed.TotalSeconds;
                    await ServiceProcess.WaitUntilIdleAsync(child.Id);
                    var rssAll = RssMb(child.Id);
                    Console.WriteLine($"{pages} pages open in {openSeconds:0.0} s; service RSS {rssNone:0} MB with none, {rssOne:0} MB with one, {rssAll:0} MB with {pages}");

                    var (byRun, rss, cpuShare, busyShare) = await WriteAllAsync(child.Id, writers, logs, rate, TimeSpan.FromMinutes(minutes));
                    // The last lines may still be on their way: wait for them (bounded), then read every page.
                    var deadline = Stopwatch.StartNew();
                    foreach (var page in open)
                    {
                        var last = byRun[page.Run].Keys.Max();
                        var left = 15_000 - (float)deadline.Elapsed.TotalMilliseconds;
                        try
                        {
                            if (left > 0)
                                await PlotlyDrawRecorder.WaitForAsync(page.Page, last, page.Charts, left);
                        }
                        catch (TimeoutException)
                        {
                        }
                    }
                    var draws = new List<PlotlyDrawRecorder.Draws>();
                    foreach (var page in open)
                        draws.Add(await PlotlyDrawRecorder.ReadAsync(page.Page));
                    // At one priority every page counts; with the others at a lower one, the first page is (b) and they are told apart.
                    var measured = others == browser ? open.Count : 1;
                    var manyPages = Measure([.. open.Take(measured).Select(page => (page, byRun[page.Run]))], [.. draws.Take(measured)]);
                    var otherPages = Measure([.. open.Skip(measured).Select(page => (page, byRun[page.Run]))], [.. draws.Skip(measured)]);
                    return new LiveFigures(onePage, onePageHub, onePagePlotly, catchUp, first.AllCharts, manyPages, otherPages, first.Charts, rssNone, rssOne, rssAll, openSeconds, rss,
                        byRun.Sum(r => (long)r.Count), cpuShare, busyShare);
                }
                finally
                {
                    await context.CloseAsync();
                    if (othersContext != context)
                        await othersContext.CloseAsync();
                }
            });
        }
        finally
        {
            foreach (var writer in writers)
            {
                if (writer is not null)
                    await writer.DisposeAsync();
            }
            foreach (var log in logs)
                log.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// (a): lines written to the open page's run one at a time, each after the last was drawn; a hub
    /// client on the same run shows what the pipeline before the page took (watcher, parser, commit).
    /// </summary>
    private static async Task<(Latencies Drawn, List<double> Hub, PlotlyCallTimer.Calls Plotly, double CatchUpMs)> OneLineAtATimeAsync(
        OpenPage page, Uri address, long runId, FileStream writer, IEnumerator<string> log, int samples)
    {
        await using var hub = await LiveHubClient.ConnectAsync(address);
        await hub.InvokeAsync("Subscribe", runId);
        var hubArrived = new ConcurrentDictionary<long, long>();
        using var stopListening = new CancellationTokenSource();
        var listening = ListenAsync(hub, hubArrived, stopListening.Token);
        var plotlyBefore = await PlotlyCallTimer.ReadAsync(page.Page);
        var written = new Dictionary<long, double>();
        var writtenTimestamps = new Dictionary<long, long>();
        for (var i = 0; i < Warmup + samples; i++)
        {
            if (i == Warmup)
                plotlyBefore = await PlotlyCallTimer.ReadAsync(page.Page);
            var (step, _) = Write(writer, log);
            if (i >= Warmup)
                (written[step], writtenTimestamps[step]) = (PageClock.UnixMs(), Stopwatch.GetTimestamp());
            try
            {
                await PlotlyDrawRecorder.WaitForAsync(page.Page, step, page.Charts);
            }
            catch (TimeoutException)
            {
                // Counted as never drawn below.
            }
            // Past the page's refresh interval (Live:PageRefreshMs, 100 ms), so each line is its own update.
            await Task.Delay(Random.Shared.Next(120, 220));
        }
        var drawn = Measure([(page, written)], [await PlotlyDrawRecorder.ReadAsync(page.Page)]);
        var plotly = (await PlotlyCallTimer.ReadAsync(page.Page)).Minus(plotlyBefore);
        await stopListening.CancelAsync();
        await listening;
        var hubLatencies = writtenTimestamps.Where(w => hubArrived.ContainsKey(w.Key))
            .Select(w => Stopwatch.GetElapsedTime(w.Value, hubArrived[w.Key]).TotalMilliseconds).Order().ToList();
        var catchUp = await PlotlyDrawRecorder.CatchUpAsync(page.Page, written.Keys.Max());
        return (drawn, hubLatencies, plotly, catchUp);
    }

    /// <summary>Every run writes <paramref name="rate"/> lines a second, spread evenly over the second, for the duration; the service's RSS is read every 5 s.</summary>
    private static async Task<(Dictionary<long, double>[] ByRun, List<(double Minutes, double RssMb)> Rss, double ServiceCpuShare, double MachineBusyShare)> WriteAllAsync(
        int pid, FileStream[] writers, IEnumerator<string>[] logs, int rate, TimeSpan duration)
    {
        var runs = writers.Length;
        var byRun = Enumerable.Range(0, runs).Select(_ => new Dictionary<long, double>()).ToArray();
        var rss = new List<(double, double)>();
        var cpuBefore = ServiceProcess.CpuSeconds(pid);
        var machineBefore = MachineTicks();
        var clock = Stopwatch.StartNew();
        var nextRss = 0.0;
        var due = new PriorityQueue<int, double>();
        for (var i = 0; i < runs; i++)
            due.Enqueue(i, (double)i / runs / rate);
        while (due.TryDequeue(out var run, out var at))
        {
            if (at > duration.TotalSeconds)
                break;
            if (clock.Elapsed.TotalSeconds >= nextRss)
            {
                rss.Add((clock.Elapsed.TotalMinutes, RssMb(pid)));
                nextRss += 5;
            }
            var wait = at - clock.Elapsed.TotalSeconds;
            if (wait > 0.001)
                await Task.Delay(TimeSpan.FromSeconds(wait));
            var (step, _) = Write(writers[run], logs[run]);
            byRun[run][step] = PageClock.UnixMs();
            due.Enqueue(run, at + 1.0 / rate);
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        rss.Add((clock.Elapsed.TotalMinutes, RssMb(pid)));
        Console.WriteLine("service RSS while every run writes (min: MB): " + string.Join(", ", rss.Where((_, i) => i % 6 == 0 || i == rss.Count - 1)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Item1:0.0}: {r.Item2:0}"))));
        var machineAfter = MachineTicks();
        var busy = 1 - (double)(machineAfter.Idle - machineBefore.Idle) / Math.Max(1, machineAfter.Total - machineBefore.Total);
        return (byRun, rss, (ServiceProcess.CpuSeconds(pid) - cpuBefore) / elapsed, busy);
    }

    /// <summary>Records when each step of the run first reached the hub client.</summary>
    private static async Task ListenAsync(LiveHubClient hub, ConcurrentDictionary<long, long> arrived, CancellationToken stop)
    {
        try
        {
            await foreach (var message in hub.Messages.ReadAllAsync(stop))
            {
                if (message.Target == "points" && message.Body.GetProperty("points").TryGetProperty("Loss_CE", out var points))
                {
                    foreach (var point in points.EnumerateArray())
                        arrived.TryAdd(point[0].GetInt64(), message.ReceivedTimestamp);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Newline → drawn for every written line of the runs the pages follow; a line a page never drew in full is lost.</summary>
    private static Latencies Measure(IReadOnlyList<(OpenPage Page, Dictionary<long, double> Written)> followed, IReadOnlyList<PlotlyDrawRecorder.Draws> draws)
    {
        var (all, first, lost) = (new List<double>(), new List<double>(), 0);
        for (var i = 0; i < followed.Count; i++)
        {
            var (page, written) = followed[i];
            foreach (var (step, at) in written)
            {
                if (!draws[i].Steps.TryGetValue(step, out var drawn) || double.IsNaN(drawn.All))
                {
                    lost++;
                    continue;
                }
                all.Add(drawn.All - page.ClockOffset - at);
                first.Add(drawn.First - page.ClockOffset - at);
            }
        }
        all.Sort();
        first.Sort();
        return new Latencies(all, first, lost);
    }

    private static async Task<OpenPage> OpenAsync(IBrowserContext context, Uri address, long[] ids, int run)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(PageTimeoutMs);
        page.SetDefaultNavigationTimeout(PageTimeoutMs);
        await page.GotoAsync(new Uri(address, $"/runs/{ids[run]}").ToString());
        await page.WaitForSelectorAsync("[data-live='connected']");
        await page.WaitForFunctionAsync(AllChartsDrawn);
        var charts = await PlotlyDrawRecorder.StartAsync(page);
        var all = await page.EvaluateAsync<int>("() => document.querySelectorAll('.chart').length");
        var (offset, _) = await PageClock.OffsetAsync(page);
        return new OpenPage(page, run, charts, all, offset);
    }

    /// <summary>(d): a 10,000,000-point run's page, navigated to <paramref name="navigations"/> times, each in a fresh context (nothing cached).</summary>
    private static async Task<BigFigures> BigRunAsync(IBrowser browser, int lines, int navigations, string? profile)
    {
        var root = Directory.CreateTempSubdirectory("dashboard-pages-bench-big-").FullName;
        var watch = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        try
        {
            var source = Path.Combine(root, "s4gan.log");
            var generation = Stopwatch.StartNew();
            using (var writer = new StreamWriter(source, false, new UTF8Encoding(false), 1 << 20))
            {
                foreach (var (line, _) in IngestBenchmark.HealthyLines(lines))
                {
                    writer.Write(line);
                    writer.Write('\n');
                }
            }
            Console.WriteLine($"(d) generated {lines:N0} S4GAN lines ({lines * (long)IngestBenchmark.Keys.Length:N0} points, {new FileInfo(source).Length / 1e6:0} MB) in {generation.Elapsed.TotalSeconds:0.0} s");
            return await ServiceProcess.RunAsync(Path.Combine(root, "data"), watch, [], async (child, http) =>
            {
                var ingest = Stopwatch.StartNew();
                File.Move(source, Path.Combine(Directory.CreateDirectory(Path.Combine(watch, "bench")).FullName, "s4gan.log"));
                var runId = await IngestBenchmark.WaitUntilStoredAsync(http, lines, TimeSpan.FromMinutes(15));
                var ingestSeconds = ingest.Elapsed.TotalSeconds;
                await ServiceProcess.WaitUntilIdleAsync(child.Id);
                Console.WriteLine($"(d) ingested in {ingestSeconds:0.0} s; service idle, RSS {RssMb(child.Id):0} MB");
                var url = new Uri(http.BaseAddress!, $"/runs/{runId}").ToString();
                var charts = 0;
                async Task<Navigation> NavigateAsync(IPage page, string label)
                {
                    var start = PageClock.UnixMs();
                    await page.GotoAsync(url, new() { Timeout = PageTimeoutMs });
                    await page.WaitForFunctionAsync("() => window.__allDrawn !== undefined");
                    var (offset, _) = await PageClock.OffsetAsync(page);
                    var times = await page.EvaluateAsync<JsonElement>("""
                        () => {
                          const nav = performance.getEntriesByType('navigation')[0];
                          const plotly = performance.getEntriesByType('resource').find(r => r.name.includes('plotly'));
                          const at = t => t === undefined ? null : performance.timeOrigin + t;
                          return { all: window.__allDrawn, loaded: window.__allLoaded ?? null, each: window.__eachDrawn ?? [], connected: window.__connected ?? null,
                                   charts: window.__charts, html: at(nav?.responseEnd), dom: at(nav?.domContentLoadedEventEnd), plotly: at(plotly?.responseEnd),
                                   plotlyEvaluated: window.__plotlyEvaluated ?? null };
                        }
                        """);
                    double Since(JsonElement time) => time.ValueKind == JsonValueKind.Number ? time.GetDouble() - offset - start : double.NaN;
                    charts = times.GetProperty("charts").GetInt32();
                    var each = string.Join(", ", times.GetProperty("each").EnumerateArray().Select(t => Since(t).ToString("0", CultureInfo.InvariantCulture)));
                    var navigation = new Navigation(Since(times.GetProperty("all")), Since(times.GetProperty("loaded")), Since(times.GetProperty("connected")),
                        Since(times.GetProperty("html")), Since(times.GetProperty("dom")), Since(times.GetProperty("plotly")), Since(times.GetProperty("plotlyEvaluated")), each,
                        await PlotlyCallTimer.ReadAsync(page));
                    Console.WriteLine($"(d) {label}: every chart ({charts}) drawn {navigation.AllDrawn:0} ms, data-loaded on all {navigation.AllLoaded:0} ms (HTML {navigation.Html:0}, DOMContentLoaded {navigation.DomContentLoaded:0}, "
                        + $"plotly.js loaded {navigation.PlotlyLoaded:0}, run {navigation.PlotlyEvaluated:0}, circuit live {navigation.Connected:0}, each chart drawn {each} ms); plotly.js calls: {navigation.Calls}");
                    return navigation;
                }

                async Task<IPage> NewPageAsync(IBrowserContext context)
                {
                    await PlotlyCallTimer.StartAsync(context);
                    await context.AddInitScriptAsync(LoadWatch);
                    var page = await context.NewPageAsync();
                    page.SetDefaultTimeout(PageTimeoutMs);
                    return page;
                }

                // Cold: each navigation in a fresh context, nothing cached (a first visit).
                var cold = new List<Navigation>();
                for (var n = 0; n < navigations; n++)
                {
                    var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
                    try
                    {
                        var page = await NewPageAsync(context);
                        // The last first visit profiled, beside (a)'s: where a first visit's main thread goes.
                        var profiler = profile is not null && n == navigations - 1 ? await PageProfiler.StartAsync(page) : null;
                        cold.Add(await NavigateAsync(page, $"cold navigation {n + 1}"));
                        if (profiler is not null)
                        {
                            var path = Path.ChangeExtension(profile!, ".cold.cpuprofile");
                            await profiler.StopAsync(path);
                            Console.WriteLine($"(d) the last cold navigation's CPU profile: {path}");
                        }
                    }
                    finally
                    {
                        await context.CloseAsync();
                    }
                }
                // Warm: one context navigating again (HTTP cache and V8's code cache for plotly.js filled), a returning user.
                var warm = new List<Navigation>();
                var again = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
                try
                {
                    var page = await NewPageAsync(again);
                    for (var n = 0; n <= navigations; n++)
                    {
                        var navigation = await NavigateAsync(page, n == 0 ? "warming the cache" : $"warm navigation {n}");
                        if (n > 0)
                            warm.Add(navigation);
                    }
                }
                finally
                {
                    await again.CloseAsync();
                }
                return new BigFigures(cold, warm, charts, ingestSeconds);
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Print(LiveFigures live, BigFigures? big, int pages, int runs, int rate, double minutes, int bigLines, int othersNice)
    {
        static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        Console.WriteLine();
        Console.WriteLine($"{"figure",-64} {"measured",12} {"target",16}");
        void Row(string name, string measured, string target) => Console.WriteLine($"{name,-64} {measured,12} {target,16}");
        Row($"(a) newline -> point drawn, 1 page open, p50 ({live.OnePage.All.Count} lines)", Ms(live.OnePage.P(50)), "<= 50 ms");
        Row("(a)   p99", Ms(live.OnePage.P(99)), "<= 150 ms");
        Row("(a)   max / first chart drawn p50 / lines never drawn", $"{Ms(live.OnePage.All.LastOrDefault(double.NaN))} / {Ms(Percentile.Of(live.OnePage.First, 50))} / {live.OnePage.Lost}", "");
        Row("(a)   newline -> hub points message (watcher, parser, commit), p50", Ms(Percentile.Of(live.OnePageHub, 50)), "");
        Row($"(a)   plotly.js calls per line, synchronous time ({live.Charts} charts on the first screen of {live.AllCharts})", Ms(live.OnePagePlotly.TotalMs / Math.Max(1, live.OnePage.All.Count + live.OnePage.Lost)), "");
        Row("(a)   a chart off the first screen scrolled to: its last point drawn (the slowest)", Ms(live.OnePageCatchUpMs), "");
        var whose = othersNice > 0 ? $" ({pages - 1} at nice {othersNice}; the first page's)" : "";
        Row($"(b) same, {pages} pages open{whose}, {runs} runs x {rate} lines/s, p50 ({live.ManyPages.All.Count} lines)", Ms(live.ManyPages.P(50)), "<= 50 ms");
        Row("(b)   p99", Ms(live.ManyPages.P(99)), "<= 150 ms");
        Row("(b)   max / first chart drawn p50 / lines never drawn", $"{Ms(live.ManyPages.All.LastOrDefault(double.NaN))} / {Ms(Percentile.Of(live.ManyPages.First, 50))} / {live.ManyPages.Lost}", "0");
        if (othersNice > 0)
            Row($"(b)   the {pages - 1} others at nice {othersNice}: p50 / p99 / lines drawn of written", $"{Ms(live.OtherPages.P(50))} / {Ms(live.OtherPages.P(99))} / {live.OtherPages.All.Count} of {live.OtherPages.All.Count + live.OtherPages.Lost}", "");
        Row($"(b)   service CPU, % of a core / whole machine busy (browser too)", $"{live.ServiceCpuShare * 100:0}% / {live.MachineBusyShare * 100:0}%", "");
        Row($"(c) server memory per open run page ((RSS with {pages} - none) / {pages})", $"{(live.RssAllPagesMb - live.RssNoPageMb) / pages:0.00} MB", "<= 2 MB");
        if (pages > 1)
            Row($"(c)   past the first page ((RSS with {pages} - with 1) / {pages - 1})", $"{(live.RssAllPagesMb - live.RssOnePageMb) / (pages - 1):0.00} MB", "");
        var during = live.RssDuringLive;
        var settled = during.Where(s => s.Minutes >= during[^1].Minutes * 0.1).ToList();
        Row($"(c) RSS growth over {minutes} min of live updates (from 10% in to the end)", $"{settled[^1].RssMb - settled[0].RssMb:+0;-0;0} MB", "none over 10 min");
        Row("(c)   RSS at start / max / end; least-squares slope", $"{during[0].RssMb:0} / {during.Max(s => s.RssMb):0} / {during[^1].RssMb:0} MB; {Slope(settled):+0.0;-0.0;0.0} MB/min", "");
        if (big is not null)
        {
            static string Seconds(IEnumerable<double> values) => string.Join(" / ", values.Select(v => (v / 1000).ToString("0.00", CultureInfo.InvariantCulture))) + " s";
            var points = $"{bigLines * (long)IngestBenchmark.Keys.Length / 1e6:0.#}M-point run";
            Row($"(d) {points}: every chart ({big.Charts}) drawn after navigation, median of {big.Cold.Count} (cold)", Seconds([Median(big.Cold, n => n.AllDrawn)]), "<= 1.0 s");
            Row("(d)   each cold navigation: every chart drawn", Seconds(big.Cold.Select(n => n.AllDrawn)), "");
            Row("(d)   each cold navigation: data-loaded on every chart", Seconds(big.Cold.Select(n => n.AllLoaded)), "");
            Row("(d)   median cold: plotly.js downloaded / run / circuit live", Seconds([Median(big.Cold, n => n.PlotlyLoaded), Median(big.Cold, n => n.PlotlyEvaluated), Median(big.Cold, n => n.Connected)]), "");
            Row($"(d)   warm navigations (same context, cached), median of {big.Warm.Count}", Seconds([Median(big.Warm, n => n.AllDrawn)]), "<= 1.0 s");
            Row("(d)   each warm navigation: every chart drawn", Seconds(big.Warm.Select(n => n.AllDrawn)), "");
            Row("(d)   median warm: plotly.js run / circuit live", Seconds([Median(big.Warm, n => n.PlotlyEvaluated), Median(big.Warm, n => n.Connected)]), "");
        }
    }

    private static (long Step, string Line) Write(FileStream file, IEnumerator<string> log)
    {
        var next = Next(log);
        // One line with its newline in one write, straight to the file.
        file.Write(Encoding.UTF8.GetBytes(next.Line + "\n"));
        return next;
    }

    /// <summary>The simulator's next line and its step (0 for its configuration line).</summary>
    private static (long Step, string Line) Next(IEnumerator<string> log)
    {
        if (!log.MoveNext())
            throw new InvalidOperationException("The simulated run ended.");
        var line = log.Current;
        return line.StartsWith("Iter ", StringComparison.Ordinal)
            ? (long.Parse(line.AsSpan(5, line.IndexOf('/') - 5), CultureInfo.InvariantCulture), line)
            : (0, line);
    }

    /// <summary>The ids of run000 … run{N-1}, in that order, once each holds <paramref name="step"/>.</summary>
    private static async Task<long[]> WaitForRunsAsync(HttpClient http, int runs, long step)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            using var list = JsonDocument.Parse(await http.GetStringAsync("/api/runs?limit=1000"));
            var byName = list.RootElement.EnumerateArray().Where(r => r.GetProperty("step").GetInt64() >= step)
                .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("id").GetInt64());
            var ids = Enumerable.Range(0, runs).Select(i => byName.FirstOrDefault(kv => kv.Key.StartsWith($"run{i:000}", StringComparison.Ordinal)).Value).ToArray();
            if (ids.All(id => id != 0))
                return ids;
            await Task.Delay(200);
        }
        throw new TimeoutException("The runs did not all show up.");
    }

    private static double RssMb(int pid) => ServiceProcess.Status(pid, "VmRSS:") / 1024.0;

    /// <summary>Idle and total jiffies of all cores, from /proc/stat.</summary>
    private static (long Idle, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal …: idle and iowait are idle.
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }

    private static double Slope(List<(double Minutes, double RssMb)> samples)
    {
        if (samples.Count < 2)
            return 0;
        var (mx, my) = (samples.Average(s => s.Minutes), samples.Average(s => s.RssMb));
        var den = samples.Sum(s => (s.Minutes - mx) * (s.Minutes - mx));
        return den == 0 ? 0 : samples.Sum(s => (s.Minutes - mx) * (s.RssMb - my)) / den;
    }

    private static double Median(List<Navigation> navigations, Func<Navigation, double> figure) =>
        Percentile.Of([.. navigations.Select(figure).Order()], 50);
}
