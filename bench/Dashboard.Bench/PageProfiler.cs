using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Chromium's own CPU profiler on one page (DevTools protocol), for where the page's main thread goes: a
/// .cpuprofile file that Chromium's DevTools (Performance) opens. It found plotly.js measuring every tick label.
/// </summary>
public sealed class PageProfiler(ICDPSession session)
{
    public static async Task<PageProfiler> StartAsync(IPage page)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("Profiler.enable");
        // Every 250 µs: a chart's redraw takes milliseconds, so its parts show.
        await session.SendAsync("Profiler.setSamplingInterval", new Dictionary<string, object> { ["interval"] = 250 });
        await session.SendAsync("Profiler.start");
        return new PageProfiler(session);
    }

    public async Task StopAsync(string path)
    {
        var stopped = await session.SendAsync("Profiler.stop");
        await File.WriteAllTextAsync(path, stopped!.Value.GetProperty("profile").GetRawText());
        await session.DetachAsync();
    }
}
