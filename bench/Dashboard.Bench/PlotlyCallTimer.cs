using System.Text.Json;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Times, in a page, the synchronous part of every call the charts make into plotly.js (newPlot,
/// react, relayout, extendTraces: Plotly.Blazor calls them on <c>window.Plotly</c>), so the benchmark can
/// tell the browser's drawing apart from the server and the circuit. Installed as an init script of the
/// browser context, before plotly.js loads: it wraps the functions as plotly.js sets <c>window.Plotly</c>
/// (and notes that moment, in the page's clock, as <c>window.__plotlyEvaluated</c>).
/// </summary>
public static class PlotlyCallTimer
{
    private const string Install = """
        (() => {
          const spent = window.__plotlyCalls = {};
          const wrap = plotly => {
            for (const name of ['newPlot', 'react', 'relayout', 'restyle', 'update', 'extendTraces']) {
              const original = plotly[name];
              if (typeof original !== 'function' || original.__timed) continue;
              const timed = function (...args) {
                const started = performance.now();
                try { return original.apply(this, args); }
                finally { const s = spent[name] ??= [0, 0]; s[0]++; s[1] += performance.now() - started; }
              };
              timed.__timed = true;
              plotly[name] = timed;
            }
            return plotly;
          };
          let current;
          Object.defineProperty(window, 'Plotly', { configurable: true, get: () => current, set: value => { current = value && wrap(value); window.__plotlyEvaluated ??= performance.timeOrigin + performance.now(); } });
        })();
        """;

    public sealed record Calls(Dictionary<string, (int Count, double Ms)> ByName)
    {
        public double TotalMs => ByName.Values.Sum(c => c.Ms);

        public Calls Minus(Calls before) => new(ByName.ToDictionary(kv => kv.Key,
            kv => before.ByName.TryGetValue(kv.Key, out var b) ? (kv.Value.Count - b.Count, kv.Value.Ms - b.Ms) : kv.Value));

        public override string ToString() =>
            string.Join(", ", ByName.Where(kv => kv.Value.Count > 0).OrderByDescending(kv => kv.Value.Ms).Select(kv => $"{kv.Key} {kv.Value.Count} x {kv.Value.Ms / kv.Value.Count:0.0} ms"));
    }

    public static Task StartAsync(IBrowserContext context) => context.AddInitScriptAsync(Install);

    /// <summary>Calls made so far in this page, and the milliseconds they took.</summary>
    public static async Task<Calls> ReadAsync(IPage page)
    {
        var result = await page.EvaluateAsync<JsonElement>("() => window.__plotlyCalls ?? {}");
        // Playwright marks serialized objects with "$id".
        return new(result.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToDictionary(p => p.Name, p => (p.Value[0].GetInt32(), p.Value[1].GetDouble())));
    }
}
