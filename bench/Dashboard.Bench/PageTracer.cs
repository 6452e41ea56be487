using System.Text.Json;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Chromium's timeline trace of one page (DevTools protocol, the Performance panel's own categories): where the CPU
/// profile shows only "(program)", this says how many style recalculations and layouts the page did and how many
/// elements each touched. Written as a JSON array of trace events, which DevTools (Performance, load) opens.
/// </summary>
public sealed class PageTracer(ICDPSession session, List<JsonElement> events, TaskCompletionSource complete)
{
    public static async Task<PageTracer> StartAsync(IPage page)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        var (events, complete) = (new List<JsonElement>(), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            lock (events)
                events.AddRange(data!.Value.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await session.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["categories"] = "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute",
            ["transferMode"] = "ReportEvents",
        });
        return new PageTracer(session, events, complete);
    }

    /// <summary>Writes the trace and answers a line on the page's style recalculations and layouts in it.</summary>
    public async Task<string> StopAsync(string path)
    {
        await session.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await session.DetachAsync();
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(events));
        var styles = Complete("UpdateLayoutTree").ToList();
        var layouts = Complete("Layout").ToList();
        double Ms(IEnumerable<JsonElement> all) => all.Sum(e => e.GetProperty("dur").GetDouble()) / 1000;
        double Elements(JsonElement e) => e.TryGetProperty("args", out var args) && args.TryGetProperty("elementCount", out var count) ? count.GetDouble() : 0;
        double Objects(JsonElement e) => e.GetProperty("args").TryGetProperty("beginData", out var begin) && begin.TryGetProperty("totalObjects", out var total) ? total.GetDouble() : 0;
        return $"style recalculations {styles.Count} ({Ms(styles):0} ms, {Ms(styles) / Math.Max(1, styles.Count):0.00} ms and {styles.Select(Elements).DefaultIfEmpty().Average():0} elements each), "
            + $"layouts {layouts.Count} ({Ms(layouts):0} ms, {Ms(layouts) / Math.Max(1, layouts.Count):0.00} ms each, of {layouts.Select(Objects).DefaultIfEmpty().Max():0} layout objects)";
    }

    private IEnumerable<JsonElement> Complete(string name) =>
        events.Where(e => e.TryGetProperty("ph", out var ph) && ph.GetString() == "X" && e.TryGetProperty("dur", out _)
                          && e.GetProperty("name").GetString() == name);
}
