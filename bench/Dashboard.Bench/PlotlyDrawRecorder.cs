using System.Text.Json;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Records, inside an open run page, when each new step first shows up in Plotly's own data
/// (<c>gd.data[0].x</c> of each chart's plot div) as drawn: when a call into plotly.js has drawn (its promise
/// settles, right after the redraw), every chart's first trace is checked and each step past the last one seen
/// is stamped with the page's clock (<c>performance.timeOrigin + performance.now()</c>, Unix ms, see
/// <see cref="PageClock"/>), once for the first chart that drew it and again for the last. Before 2026-12-07
/// evening a MutationObserver on the charts' attributes did this: it made the browser record each of the
/// thousands of attributes a redraw sets, which cost each chart's redraw about 1.2 ms (8.7 against 7.5 ms, four
/// charts in a bare page) and so added to what it measured. A page is watched once it is loaded; steps it held
/// before are not stamped. Only the charts on the first screen are watched: one out of view takes its points when
/// it comes back (<see cref="CatchUpAsync"/>).
/// </summary>
public static class PlotlyDrawRecorder
{
    private const string Install = """
        () => {
          if (window.__draws) return window.__watched.length;
          // step -> [first chart's time, latest chart's time, charts that drew it]
          const draws = window.__draws = {};
          const last = new Map();
          const seen = gd => { const r = gd.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
          const watched = window.__watched = [...document.querySelectorAll('.chart .js-plotly-plot')].filter(seen);
          const check = () => {
            const at = performance.timeOrigin + performance.now();
            for (const gd of watched) {
              const x = gd.data?.[0]?.x;
              if (!x || x.length === 0) continue;
              const end = Number(x[x.length - 1]);
              const before = last.get(gd);
              last.set(gd, end);
              if (before === undefined || end <= before) continue;
              for (let i = x.length - 1; i >= 0 && Number(x[i]) > before; i--) {
                const d = draws[x[i]] ??= [at, at, 0];
                d[1] = at;
                d[2]++;
              }
            }
          };
          check();
          // Plotly.Blazor looks window.Plotly's functions up at each call: wrapped here, each call checks once it has drawn.
          const plotly = window.Plotly;
          for (const name of ['newPlot', 'react', 'relayout', 'restyle', 'update', 'extendTraces']) {
            const original = plotly?.[name];
            if (typeof original !== 'function') continue;
            plotly[name] = function (...args) {
              const result = original.apply(this, args);
              if (typeof result?.then === 'function') result.then(check, check); else check();
              return result;
            };
          }
          return watched.length;
        }
        """;

    // Each chart off the first screen scrolled into view in turn: ms until it holds the step, the slowest.
    private const string CatchUp = """
        async (step) => {
          let slowest = 0;
          for (const gd of document.querySelectorAll('.chart .js-plotly-plot')) {
            const holds = () => [...(gd.data?.[0]?.x ?? [])].some(x => Number(x) === step);
            if (holds()) continue;
            const start = performance.now();
            gd.scrollIntoView();
            while (!holds()) {
              if (performance.now() - start > 10000) return -1;
              await new Promise(r => setTimeout(r, 2));
            }
            slowest = Math.max(slowest, performance.now() - start);
          }
          scrollTo(0, 0);
          return slowest;
        }
        """;

    /// <summary>Step → (first chart drew it, every chart had drawn it), in the page's Unix ms.</summary>
    public sealed record Draws(int Charts, Dictionary<long, (double First, double All)> Steps);

    /// <summary>Starts recording on a loaded run page; answers how many charts it watches (those on the first screen).</summary>
    public static Task<int> StartAsync(IPage page) => page.EvaluateAsync<int>(Install);

    /// <summary>
    /// The charts off the first screen, scrolled to one by one: the most ms one took to draw <paramref name="step"/>
    /// once in view (0 when all held it already; NaN when one did not within 10 s). Scrolls back to the top.
    /// </summary>
    public static async Task<double> CatchUpAsync(IPage page, long step)
    {
        var ms = await page.EvaluateAsync<double>(CatchUp, step);
        return ms < 0 ? double.NaN : ms;
    }

    /// <summary>Waits until every chart has drawn <paramref name="step"/>.</summary>
    public static Task WaitForAsync(IPage page, long step, int charts, float timeoutMs = 10_000) =>
        page.WaitForFunctionAsync("([s, n]) => (window.__draws?.[s]?.[2] ?? 0) >= n", new[] { step, charts },
            new() { PollingInterval = 2, Timeout = timeoutMs });

    /// <summary>What the page drew since <see cref="StartAsync"/>; a step counts as drawn by all once every chart drew it.</summary>
    public static async Task<Draws> ReadAsync(IPage page)
    {
        var result = await page.EvaluateAsync<JsonElement>(
            "() => ({ charts: window.__watched?.length ?? 0, steps: Object.entries(window.__draws ?? {}).map(([s, d]) => [Number(s), d[0], d[1], d[2]]) })");
        var charts = result.GetProperty("charts").GetInt32();
        var steps = new Dictionary<long, (double, double)>();
        foreach (var entry in result.GetProperty("steps").EnumerateArray())
            steps[entry[0].GetInt64()] = (entry[1].GetDouble(), entry[3].GetInt32() >= charts ? entry[2].GetDouble() : double.NaN);
        return new Draws(charts, steps);
    }
}
