// One Plotly chart per `.chart` element: data-keys (JSON array of metric keys), data-title,
// data-family. Needs the global `Plotly` (lib/plotly.min.js).
//
// Non-finite values stay visible: the line breaks at that step and a red ✕ marker is drawn at
// the top edge (NaN, Infinity) or bottom edge (-Infinity) of the plot, on a hidden 0..1 axis,
// with hover text "NaN" / "Infinity" / "-Infinity".
//
// Readiness for tests: data-points = points drawn so far (finite and not), data-nonfinite = how
// many of them are NaN/±Infinity (also shown as a badge in the card), data-loaded="true" once the
// history is drawn.
//
// Alerts: a dotted vertical line at the step where each alert of the chart's metrics began,
// coloured by severity, with a triangle at the top whose hover text is the alert's message. The
// guide's expected bands: shaded rectangles under the lines over the phases the run has reached,
// up to its last step (a phase's full width would stretch the step axis far past the data).
// Readiness: data-alert-markers and data-bands count what is drawn.

import { toNumber } from './format.js';

const NONFINITE_COLOR = '#dc3545';
const HISTORY_POINTS = 2000;
const SPARSE_POINTS = 150; // per chart, below this lines get markers too
const SEVERITY_COLORS = { critical: '#dc3545', warning: '#fd7e14', info: '#0d6efd' };
const BAND_COLOR = 'rgba(25, 135, 84, 0.12)';
const PAIR_SEPARATOR = ' − '; // a pair rule's metric: "train/mIoU − val/mIoU"
const BAND_REDRAW_MS = 1000; // bands follow the last step at most this often (a relayout redraws the chart)

export class Chart {
  constructor(el, runId) {
    this.el = el;
    this.runId = runId;
    this.keys = JSON.parse(el.dataset.keys || '[]');
    this.title = el.dataset.title || this.keys.join(', ');
    this.family = el.dataset.family || 'other';
    this.lastStep = new Map(); // key → last step drawn
    this.pending = []; // [key, points] received while the history loads
    this.queue = new Map(); // key → {lx, ly, nx, ny, nt} waiting for the next animation frame
    this.frame = 0;
    this.points = 0;
    this.nonFinite = 0;
    this.plotted = false;
    this.mode = null;
    this.loaded = false;
    this.reloading = null;
    this.ready = null;
    this.alerts = new Map(); // alert id → alert, for the alerts on this chart's metrics
    this.bands = [];
    this.bandsDrawn = 0;
    this.bandsReach = null; // the last step the drawn bands reach
    this.decoratedAt = 0;
    this.decorateTimer = 0;
  }

  /** An alert was raised, escalated or resolved: its marker goes on the chart if it concerns one of its metrics. */
  addAlert(alert) {
    if (!alert || alert.firstStep === null || alert.firstStep === undefined || !alert.metric) return;
    if (!alert.metric.split(PAIR_SEPARATOR).some((m) => this.keys.includes(m))) return;
    this.alerts.set(alert.id, alert);
    this._decorate();
  }

  /** The run's expected bands (GET /api/runs/{id}/bands); those of this chart's metrics are shaded. */
  setBands(bands) {
    this.bands = (bands || []).filter((b) => this.keys.includes(b.metric));
    this._decorate();
  }

  /** Fetch each key's history and draw; live points that arrive meanwhile are applied afterwards. */
  load() {
    this.ready = this._load().catch((err) => {
      // The API is unreachable (e.g. the server restarts): try again; live points wait in `pending`.
      console.warn(`chart "${this.title}": history failed, retrying`, err);
      setTimeout(() => this.load(), 3000);
    });
    return this.ready;
  }

  async _load() {
    this.loaded = false;
    this.el.dataset.loaded = 'false';
    const series = await Promise.all(this.keys.map((k) => this._fetch(k, null, HISTORY_POINTS)));
    this.lastStep.clear();
    this.queue.clear();
    this.points = 0;
    this.nonFinite = 0;
    const split = this.keys.map((key, i) => this._split(key, series[i]));
    this.mode = this._lineMode();
    const traces = this.keys.flatMap((key, i) => [
      this._lineTrace(key, split[i].lx, split[i].ly),
      this._markerTrace(key, split[i].nx, split[i].ny, split[i].nt),
    ]);
    traces.push(this._alertTrace());
    if (this.plotted) {
      await Plotly.react(this.el, traces, this._layout(), this._config());
    } else {
      await Plotly.newPlot(this.el, traces, this._layout(), this._config());
      this.plotted = true;
    }
    this.loaded = true;
    this.el.dataset.loaded = 'true';
    this._publishCount();
    const pending = this.pending;
    this.pending = [];
    for (const [key, pts] of pending) this.push(key, pts);
  }

  /** Append live points for one key (deduplicated by step; a step going back reloads the chart). */
  push(key, pts) {
    if (!this.keys.includes(key) || !pts || pts.length === 0) return;
    if (!this.loaded) {
      this.pending.push([key, pts]);
      return;
    }
    const last = this.lastStep.get(key);
    if (last !== undefined && pts.some((p) => p[0] < last)) {
      // A resume from a checkpoint rewrote earlier steps: later points win, so redraw from the store.
      this._scheduleReload();
      return;
    }
    const s = this._split(key, pts);
    if (s.lx.length === 0) return;
    let q = this.queue.get(key);
    if (!q) this.queue.set(key, (q = { lx: [], ly: [], nx: [], ny: [], nt: [] }));
    for (const f of ['lx', 'ly', 'nx', 'ny', 'nt']) q[f].push(...s[f]);
    if (!this.frame) this.frame = requestAnimationFrame(() => this._flush());
  }

  /** After a (re)connect: fetch what was missed since the last step drawn, per key. */
  async fillGap() {
    if (this.ready) await this.ready;
    await Promise.all(this.keys.map(async (key) => {
      const last = this.lastStep.get(key);
      const pts = await this._fetch(key, last === undefined ? 0 : last + 1, HISTORY_POINTS);
      this.push(key, pts);
    }));
  }

  _scheduleReload() {
    if (this.reloading) return;
    this.reloading = new Promise((r) => setTimeout(r, 300))
      .then(() => this.load())
      .finally(() => { this.reloading = null; });
  }

  _flush() {
    this.frame = 0;
    if (this.queue.size === 0 || !this.loaded) return;
    const line = { x: [], y: [] };
    const lineIdx = [];
    const mark = { x: [], y: [], text: [] };
    const markIdx = [];
    for (const [key, q] of this.queue) {
      const i = this.keys.indexOf(key);
      line.x.push(q.lx);
      line.y.push(q.ly);
      lineIdx.push(2 * i);
      if (q.nx.length) {
        mark.x.push(q.nx);
        mark.y.push(q.ny);
        mark.text.push(q.nt);
        markIdx.push(2 * i + 1);
      }
    }
    this.queue.clear();
    Plotly.extendTraces(this.el, line, lineIdx);
    if (markIdx.length) Plotly.extendTraces(this.el, mark, markIdx);
    this._publishCount();
  }

  /**
   * Split points into the line trace (x, y with null at non-finite steps, so the line breaks) and
   * the marker trace for non-finite values. Drops steps already drawn and counts the rest.
   */
  _split(key, pts) {
    const out = { lx: [], ly: [], nx: [], ny: [], nt: [] };
    let last = this.lastStep.get(key);
    for (const p of pts || []) {
      const step = p[0];
      if (last !== undefined && step <= last) continue;
      last = step;
      const v = toNumber(p[1]);
      out.lx.push(step);
      if (Number.isFinite(v)) {
        out.ly.push(v);
      } else {
        out.ly.push(null);
        out.nx.push(step);
        out.ny.push(v === -Infinity ? 0.03 : 0.97);
        out.nt.push(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
        this.nonFinite++;
      }
      this.points++;
    }
    if (last !== undefined) this.lastStep.set(key, last);
    return out;
  }

  _publishCount() {
    if (this.plotted && this.bands.length > 0 && this._reached() !== this.bandsReach) this._scheduleDecorate();
    this._publishDecorations();
    const mode = this._lineMode();
    if (this.plotted && mode !== this.mode) {
      Plotly.restyle(this.el, { mode }, this.keys.map((_, i) => 2 * i));
    }
    this.mode = mode;
    this.el.dataset.points = String(this.points);
    this.el.dataset.nonfinite = String(this.nonFinite);
    const badge = this.el.closest('.chart-card')?.querySelector('[data-role="nonfinite"]');
    if (badge) {
      badge.hidden = this.nonFinite === 0;
      badge.textContent = `${this.nonFinite} NaN/Inf`;
    }
  }

  async _fetch(key, fromStep, maxPoints) {
    const q = new URLSearchParams();
    if (maxPoints) q.set('maxPoints', String(maxPoints));
    if (fromStep !== null && fromStep !== undefined) q.set('fromStep', String(fromStep));
    const url = `/api/runs/${this.runId}/metrics/${encodeURIComponent(key)}?${q}`;
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const body = await res.json();
    return body.points || [];
  }

  /** Markers on sparse series (evaluation metrics, counts, short runs): a lone point between NaNs stays visible. */
  _lineMode() {
    const sparse = this.family === 'metrics' || this.family === 'count' || this.points <= SPARSE_POINTS;
    return sparse ? 'lines+markers' : 'lines';
  }

  _lineTrace(key, x, y) {
    return {
      type: 'scatter',
      mode: this.mode,
      name: escapeForPlotly(key),
      legendgroup: key,
      x,
      y,
      connectgaps: false,
      line: { width: 1.6 },
      marker: { size: 5 },
      hovertemplate: `step %{x}<br>%{y:.4g}<extra>${escapeForPlotly(key)}</extra>`,
    };
  }

  _markerTrace(key, x, y, text) {
    return {
      type: 'scatter',
      mode: 'markers',
      name: `${escapeForPlotly(key)} (non-finite)`,
      legendgroup: key,
      showlegend: false,
      x,
      y,
      text,
      yaxis: 'y2',
      cliponaxis: false,
      marker: { symbol: 'x', size: 10, color: NONFINITE_COLOR, line: { width: 2, color: NONFINITE_COLOR } },
      hovertemplate: `step %{x}<br><b>%{text}</b><extra>${escapeForPlotly(key)}</extra>`,
    };
  }

  _scheduleDecorate() {
    if (this.decorateTimer) return;
    const wait = Math.max(0, this.decoratedAt + BAND_REDRAW_MS - Date.now());
    this.decorateTimer = setTimeout(() => {
      this.decorateTimer = 0;
      this._decorate();
    }, wait);
  }

  /** Redraws the alert markers and bands (once the chart is drawn; until then _load draws them). */
  _decorate() {
    if (this.plotted && this.loaded) {
      this.decoratedAt = Date.now();
      const t = this._alertTrace();
      Plotly.relayout(this.el, { shapes: this._shapes() });
      Plotly.restyle(this.el, { x: [t.x], y: [t.y], text: [t.text], 'marker.color': [t.marker.color] }, [2 * this.keys.length]);
    }
    this._publishDecorations();
  }

  _publishDecorations() {
    this.el.dataset.alertMarkers = String(this.plotted ? this.alerts.size : 0);
    this.el.dataset.bands = String(this.plotted ? this.bandsDrawn : 0);
  }

  _reached() {
    return Math.max(-Infinity, ...this.lastStep.values());
  }

  /** The layout's shapes: bands below the lines, alert markers above; notes what the bands reach. */
  _shapes() {
    const reached = this._reached();
    const bands = this.bands.filter((b) => b.fromStep < reached);
    this.bandsDrawn = bands.length;
    this.bandsReach = reached;
    return [
      ...bands.map((b) => ({
        type: 'rect',
        xref: 'x',
        x0: b.fromStep,
        x1: b.toStep === null || b.toStep === undefined ? reached : Math.min(b.toStep, reached),
        layer: 'below',
        line: { width: 0 },
        fillcolor: BAND_COLOR,
        ...yExtent(b.min, b.max),
      })),
      ...[...this.alerts.values()].map((a) => ({
        type: 'line',
        layer: 'above',
        xref: 'x',
        yref: 'paper',
        x0: a.firstStep,
        x1: a.firstStep,
        y0: 0,
        y1: 1,
        line: { color: severityColor(a.severity), width: 1.5, dash: 'dot' },
      })),
    ];
  }

  /** The markers' hover targets: a triangle at the top edge per alert, on the hidden 0..1 axis. */
  _alertTrace() {
    const alerts = [...this.alerts.values()];
    return {
      type: 'scatter',
      mode: 'markers',
      name: 'alerts',
      showlegend: false,
      x: alerts.map((a) => a.firstStep),
      y: alerts.map(() => 1),
      text: alerts.map((a) => escapeForPlotly(a.message)),
      yaxis: 'y2',
      cliponaxis: false,
      marker: { symbol: 'triangle-down', size: 11, color: alerts.map((a) => severityColor(a.severity)) },
      hovertemplate: 'step %{x}<br>%{text}<extra></extra>',
    };
  }

  _layout() {
    return {
      shapes: this._shapes(),
      height: 260,
      margin: { l: 56, r: 12, t: 8, b: 36 },
      showlegend: this.keys.length > 1,
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      xaxis: { title: { text: 'step', standoff: 4 }, zeroline: false, automargin: true },
      yaxis: { automargin: true, zeroline: false, exponentformat: 'e' },
      yaxis2: { overlaying: 'y', range: [0, 1], visible: false, fixedrange: true },
      hovermode: 'closest',
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 11 },
      uirevision: 'keep',
    };
  }

  _config() {
    return { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };
  }
}

function severityColor(severity) {
  return SEVERITY_COLORS[severity] ?? SEVERITY_COLORS.info;
}

// A band's values in data units. An open side (no bound) is measured in pixels from the known
// side instead, so it reaches past the plot's edge without stretching the value axis.
function yExtent(min, max) {
  const known = (v) => v !== null && v !== undefined;
  if (known(min) && known(max)) return { yref: 'y', y0: min, y1: max };
  return {
    yref: 'y',
    ysizemode: 'pixel',
    yanchor: known(min) ? min : known(max) ? max : 0,
    y0: known(min) ? 0 : -5000,
    y1: known(max) ? 0 : 5000,
  };
}

// Plotly renders trace names and <extra> text as (sanitised) HTML; escape keys so they show as text.
function escapeForPlotly(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
export { escapeForPlotly };
