// Report page (/r/{token}): draws each chart of the frozen report with Plotly from the report's own
// JSON (/r/{token}.json), the same data the SVG charts of the Markdown rendering are drawn from.
// Readiness for tests: each .report-chart gets data-drawn="true" and data-points (points drawn).
// Names go to Plotly escaped (it renders trace names as HTML); nothing goes into innerHTML.

/** The report's JSON writes non-finite values as the strings "NaN", "Infinity" and "-Infinity". */
function toNumber(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === null || v === undefined) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

const NONFINITE_COLOR = '#dc3545';

function lineTraces(chart) {
  const traces = [];
  let points = 0;
  for (const series of chart.series) {
    const x = [], y = [], nx = [], ny = [], nt = [];
    for (const [step, raw] of series.points) {
      const v = toNumber(raw);
      points++;
      x.push(step);
      if (Number.isFinite(v)) {
        y.push(v);
      } else {
        y.push(null);
        nx.push(step);
        ny.push(v === -Infinity ? 0 : 1);
        nt.push(String(raw));
      }
    }
    traces.push({ x, y, name: escapeForPlotly(series.label), type: 'scatter', mode: 'lines', connectgaps: false });
    if (nx.length > 0) {
      traces.push({
        x: nx, y: ny, yaxis: 'y2', type: 'scatter', mode: 'markers', name: `${escapeForPlotly(series.label)} (non-finite)`,
        marker: { symbol: 'x', color: NONFINITE_COLOR, size: 9 }, text: nt, hovertemplate: '%{text} at step %{x}<extra></extra>',
      });
    }
  }
  return { traces, points };
}

function histogramTraces(chart) {
  const h = chart.histogram;
  const x = h.counts.map((_, i) => toNumber(h.min) + (i + 0.5) * toNumber(h.binWidth));
  const points = h.counts.reduce((a, b) => a + b, 0);
  return { traces: [{ x, y: h.counts, type: 'bar', name: escapeForPlotly(h.key), marker: { color: '#1f77b4' } }], points };
}

function layout(chart) {
  const histogram = chart.kind === 'histogram';
  return {
    margin: { l: 60, r: 16, t: 10, b: 40 },
    height: 280,
    showlegend: !histogram,
    legend: { orientation: 'h', y: -0.25 },
    xaxis: { title: { text: histogram ? escapeForPlotly(chart.histogram.key) : 'step' }, automargin: true },
    yaxis: { title: { text: histogram ? 'count' : '' }, automargin: true },
    yaxis2: { overlaying: 'y', range: [-0.05, 1.05], visible: false },
    bargap: 0.05,
  };
}

async function init(page) {
  const response = await fetch(`/r/${encodeURIComponent(page.dataset.token)}.json`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`report JSON answered ${response.status}`);
  const report = await response.json();
  const byId = new Map(report.charts.map((c) => [c.id, c]));
  for (const el of page.querySelectorAll('.report-chart')) {
    const chart = byId.get(el.dataset.chartId);
    if (!chart) continue;
    const { traces, points } = chart.kind === 'histogram' ? histogramTraces(chart) : lineTraces(chart);
    await Plotly.newPlot(el, traces, layout(chart), { responsive: true, displaylogo: false });
    el.dataset.points = String(points);
    el.dataset.drawn = 'true';
  }
}

const page = document.getElementById('report-page');
if (page) init(page).catch((err) => { page.dataset.error = String(err); console.error(err); });

// Plotly renders trace names and <extra> text as (sanitised) HTML; escape keys so they show as text.
function escapeForPlotly(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
