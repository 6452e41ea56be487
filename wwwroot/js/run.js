// Run page (/runs/{id}): draws one chart per `.chart` element from the HTTP API, then follows
// the hub: appends points, keeps the current-values table and the header up to date, and fills
// gaps after a reconnect. Every value goes into the DOM through textContent.

import { startLive } from './live.js';
import { Chart } from './charts.js';
import { RunAlerts } from './alerts-run.js';
import { refreshCriticalBanner, showInCriticalBanner } from './alerts.js';
import { fillProgress, fillStatus, formatStep, formatValue, refreshAgo, setText, toNumber } from './format.js';

function init(page) {
  const runId = Number(page.dataset.runId);
  const state = {
    id: runId,
    status: page.dataset.status,
    step: page.dataset.step ? Number(page.dataset.step) : null,
    totalSteps: page.dataset.totalSteps ? Number(page.dataset.totalSteps) : null,
    startedAt: page.dataset.startedAt,
    updatedAt: page.dataset.updatedAt,
  };

  const charts = [];
  const chartByKey = new Map();
  const addChart = (el) => {
    const chart = new Chart(el, runId);
    charts.push(chart);
    for (const k of chart.keys) chartByKey.set(k, chart);
    chart.load();
    return chart;
  };
  for (const el of document.querySelectorAll('#charts .chart')) addChart(el);

  const alerts = new RunAlerts(document.getElementById('run-alerts'), runId, charts);
  alerts.load();

  // A key the page did not know when it was rendered: its own chart under "New metrics".
  const chartFor = (key) => chartByKey.get(key) ?? addNewChart(key);
  const addNewChart = (key) => {
    const chart = addChart(newChartElement(key));
    alerts.chartAdded(chart);
    return chart;
  };

  const values = new ValuesTable(document.getElementById('values-body'));

  function renderHeader() {
    page.dataset.status = state.status;
    if (state.step !== null) page.dataset.step = String(state.step);
    page.dataset.updatedAt = state.updatedAt;
    fillStatus(page.querySelector('.run-header [data-role="status"]'), state.status);
    fillProgress(page.querySelector('.run-header [data-role="progress"]'), state);
    const updated = page.querySelector('.run-header [data-role="updated"]');
    if (updated) {
      updated.dataset.updatedAt = state.updatedAt;
      updated.setAttribute('datetime', state.updatedAt);
    }
    refreshAgo(page);
  }

  function onRun(run) {
    if (!run || run.id !== runId) return;
    state.status = run.status;
    state.step = run.step ?? state.step;
    state.totalSteps = run.totalSteps ?? state.totalSteps;
    state.startedAt = run.startedAt;
    state.updatedAt = run.updatedAt;
    renderHeader();
  }

  function onPoints(msg) {
    if (!msg || msg.run !== runId || !msg.points) return;
    let maxStep = null;
    for (const [key, pts] of Object.entries(msg.points)) {
      if (!Array.isArray(pts) || pts.length === 0) continue;
      chartFor(key).push(key, pts);
      values.update(key, pts);
      const last = pts[pts.length - 1][0];
      if (maxStep === null || last > maxStep) maxStep = last;
    }
    if (maxStep !== null && (state.step === null || maxStep > state.step)) {
      state.step = maxStep;
      renderHeader();
    }
  }

  function onAlert(alert) {
    showInCriticalBanner(alert);
    alerts.apply(alert);
  }

  async function onSubscribed({ reconnected }) {
    // Points committed between the history fetch (or the disconnect) and the subscription.
    const fills = charts.map((c) => c.fillGap().catch((err) => console.warn('gap fill failed', c.title, err)));
    // Alerts changed between the page's rendering (or the disconnect) and the subscription.
    fills.push(alerts.load(), refreshCriticalBanner());
    if (reconnected) {
      try {
        const res = await fetch(`/api/runs/${runId}`, { headers: { Accept: 'application/json' } });
        if (res.ok) {
          const detail = await res.json();
          onRun(detail.run);
          values.applySummaries(detail.metrics || []);
        }
      } catch (err) {
        console.warn('run refresh failed', err);
      }
    }
    await Promise.all(fills);
  }

  startLive({
    // The run's points and status; every run's alerts, for the critical banner.
    subscribe: async (conn) => {
      await conn.invoke('Subscribe', runId);
      await conn.invoke('SubscribeAll');
    },
    handlers: { points: onPoints, run: onRun, alert: onAlert },
    onSubscribed,
  });

  setInterval(() => refreshAgo(page), 1000);
}

function newChartElement(key) {
  const section = document.getElementById('charts-new');
  const grid = document.getElementById('charts-new-grid');
  section.hidden = false;
  document.getElementById('charts-empty')?.remove();
  const figure = document.createElement('figure');
  figure.className = 'chart-card card shadow-sm';
  const caption = document.createElement('figcaption');
  caption.className = 'chart-title';
  caption.textContent = key;
  const badge = document.createElement('span');
  badge.className = 'badge nonfinite-badge';
  badge.dataset.role = 'nonfinite';
  badge.hidden = true;
  caption.append(' ', badge);
  const el = document.createElement('div');
  el.className = 'chart';
  el.dataset.keys = JSON.stringify([key]);
  el.dataset.title = key;
  el.dataset.family = 'other';
  el.dataset.points = '0';
  figure.append(caption, el);
  grid.append(figure);
  return el;
}

/** The current-values table: last value and step, min and max (NaN ignored, as the store does). */
class ValuesTable {
  constructor(tbody) {
    this.tbody = tbody;
    this.rows = new Map();
    if (!tbody) return;
    for (const tr of tbody.querySelectorAll('tr[data-key]')) {
      this.rows.set(tr.dataset.key, {
        tr,
        lastStep: tr.dataset.lastStep ? Number(tr.dataset.lastStep) : -Infinity,
        min: tr.dataset.min !== undefined ? toNumber(tr.dataset.min) : null,
        max: tr.dataset.max !== undefined ? toNumber(tr.dataset.max) : null,
      });
    }
  }

  update(key, pts) {
    const row = this.rows.get(key) ?? this._addRow(key);
    if (!row) return;
    for (const [step, raw] of pts) {
      const v = toNumber(raw);
      if (step >= row.lastStep) {
        row.lastStep = step;
        row.last = v;
      }
      if (!Number.isNaN(v)) {
        if (row.min === null || v < row.min) row.min = v;
        if (row.max === null || v > row.max) row.max = v;
      }
    }
    this._render(row);
  }

  applySummaries(metrics) {
    for (const m of metrics) {
      const row = this.rows.get(m.key) ?? this._addRow(m.key);
      if (!row) continue;
      row.lastStep = m.last.step;
      row.last = toNumber(m.last.value);
      row.min = m.min ? toNumber(m.min.value) : null;
      row.max = m.max ? toNumber(m.max.value) : null;
      this._render(row);
    }
  }

  _render(row) {
    const { tr } = row;
    tr.dataset.lastStep = String(row.lastStep);
    if (row.last !== undefined) setText(tr.querySelector('[data-role="last"]'), formatValue(row.last));
    tr.classList.toggle('nonfinite', row.last !== undefined && !Number.isFinite(row.last));
    setText(tr.querySelector('[data-role="step"]'), formatStep(row.lastStep));
    setText(tr.querySelector('[data-role="min"]'), row.min === null ? '—' : formatValue(row.min));
    setText(tr.querySelector('[data-role="max"]'), row.max === null ? '—' : formatValue(row.max));
  }

  _addRow(key) {
    if (!this.tbody) return null;
    document.getElementById('values-empty')?.remove();
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'metric-key';
    th.textContent = key;
    tr.append(th);
    for (const role of ['last', 'step', 'min', 'max']) {
      const td = document.createElement('td');
      td.className = `num metric-${role}`;
      td.dataset.role = role;
      tr.append(td);
    }
    this.tbody.append(tr);
    const row = { tr, lastStep: -Infinity, min: null, max: null };
    this.rows.set(key, row);
    return row;
  }
}

const page = document.getElementById('run-page');
if (page) init(page);
