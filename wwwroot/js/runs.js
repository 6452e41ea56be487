// Run list (/): follows the hub (SubscribeAll) and updates or inserts rows from `run` messages
// without a reload; refreshes "updated … ago" every second. New rows are clones of the
// server-rendered <template id="run-row-template">; every value goes in through textContent.

import { startLive } from './live.js';
import { fillProgress, fillStatus, formatStep, formatValue, refreshAgo, setText } from './format.js';
import { refreshCriticalBanner, showInCriticalBanner } from './alerts.js';
import { scheduleAlertCounts } from './alerts-counts.js';

const MAX_LAST_VALUES = 4; // RunListRow.MaxLastValues
const tbody = document.getElementById('runs-body');
const template = document.getElementById('run-row-template');

if (tbody && template) init();

function init() {
  startLive({
    subscribe: (conn) => conn.invoke('SubscribeAll'),
    handlers: {
      run: upsert,
      alert: (alert) => {
        showInCriticalBanner(alert);
        scheduleAlertCounts(tbody);
      },
    },
    onSubscribed: async ({ reconnected }) => {
      // Alerts changed between the page's rendering (or the disconnect) and the subscription.
      scheduleAlertCounts(tbody);
      await refreshCriticalBanner();
      if (!reconnected) return;
      // Catch up on whatever changed while disconnected.
      try {
        const res = await fetch('/api/runs', { headers: { Accept: 'application/json' } });
        if (res.ok) for (const run of await res.json()) upsert(run);
      } catch (err) {
        console.warn('run list refresh failed', err);
      }
    },
  });
  setInterval(() => refreshAgo(tbody), 1000);
}

function rowFor(id) {
  for (const tr of tbody.querySelectorAll('tr[data-run-id]')) {
    if (tr.dataset.runId === String(id)) return tr;
  }
  return null;
}

function upsert(run) {
  if (!run || run.id === undefined) return;
  let tr = rowFor(run.id);
  if (!tr) {
    tr = template.content.querySelector('tr').cloneNode(true);
    tr.dataset.runId = String(run.id);
    document.getElementById('runs-empty')?.remove();
    tbody.prepend(tr);
    scheduleAlertCounts(tbody);
  }
  fill(tr, run);
  updateCounts();
}

function fill(tr, run) {
  tr.dataset.status = run.status;
  tr.dataset.step = run.step ?? '';
  tr.dataset.totalSteps = run.totalSteps ?? '';
  tr.dataset.startedAt = run.startedAt;
  tr.dataset.updatedAt = run.updatedAt;
  setText(tr.querySelector('[data-role="project"]'), run.project ?? '');
  const link = tr.querySelector('[data-role="name"]');
  setText(link, run.name ?? '');
  link.setAttribute('href', `/runs/${encodeURIComponent(run.id)}`);
  fillStatus(tr.querySelector('[data-role="status"]'), run.status);
  fillProgress(tr.querySelector('[data-role="progress"]'), run);
  fillLastValues(tr.querySelector('[data-role="last-values"]'), run.lastValues || []);
  const time = tr.querySelector('[data-role="updated"]');
  time.dataset.updatedAt = run.updatedAt;
  time.setAttribute('datetime', run.updatedAt);
  refreshAgo(tr);
  tr.classList.remove('flash');
  void tr.offsetWidth; // restart the highlight animation
  tr.classList.add('flash');
}

// Same order as RunListRow.PickLastValues: losses, metrics, count, learning rate, other.
function familyRank(key) {
  const k = key.toLowerCase();
  const tokens = k.split(/[^a-z0-9]+/).filter(Boolean);
  if (k.includes('loss')) return 0;
  if (tokens.includes('lr') || tokens.includes('learningrate') || /learning[_\- ]rate/.test(k)) return 3;
  if (k.includes('count') || tokens.includes('cnt')) return 2;
  const metric = /^(miou|iou|acc\w*|accuracy|f1|f1score|psnr|ssim|ms_ssim|precision|recall|dice|auc|ap|map|fid|lpips|top\d\w*|bleu|rouge|mae|mse|rmse|perplexity|ppl|kid|pixacc|fwiou)$/;
  if (k.includes('miou') || tokens.some((t) => metric.test(t))) return 1;
  return 4;
}

// "val/mIoU", "Validation mIoU", "mIoU_val" (MetricFamilies.IsValidation).
function isValidation(key) {
  const m = /^([A-Za-z]+)[/_ .:\-]+(.+)$/.exec(key);
  const words = ['train', 'training', 'val', 'valid', 'validation', 'eval', 'evaluation', 'test'];
  let word = m && words.includes(m[1].toLowerCase()) ? m[1].toLowerCase() : null;
  if (!word) {
    const s = /^(.+?)[/_ .:\-]+([A-Za-z]+)$/.exec(key);
    word = s && words.includes(s[2].toLowerCase()) ? s[2].toLowerCase() : null;
  }
  return word === 'val' || word === 'valid' || word === 'validation';
}

// Same pick as RunListRow.PickLastValues: one per family in turn, validation first within a family.
function pickLastValues(lastValues) {
  const byFamily = new Map();
  lastValues.forEach((v, i) => {
    const f = familyRank(v.key);
    if (!byFamily.has(f)) byFamily.set(f, []);
    byFamily.get(f).push({ v, i, f, val: isValidation(v.key) ? 0 : 1 });
  });
  const ranked = [];
  for (const list of byFamily.values()) {
    list.sort((a, b) => a.val - b.val || a.i - b.i).forEach((x, rank) => ranked.push({ ...x, rank }));
  }
  return ranked.sort((a, b) => a.rank - b.rank || a.f - b.f).slice(0, MAX_LAST_VALUES).map((x) => x.v);
}

function fillLastValues(cell, lastValues) {
  const picked = pickLastValues(lastValues);
  const spans = picked.map((v) => {
    const span = document.createElement('span');
    span.className = 'last-value';
    span.dataset.key = v.key;
    span.title = `step ${formatStep(v.step)}`;
    const k = document.createElement('span');
    k.className = 'lv-key';
    k.textContent = v.key;
    const val = document.createElement('span');
    val.className = 'lv-value';
    val.textContent = formatValue(v.value);
    span.append(k, ' ', val);
    return span;
  });
  cell.replaceChildren(...spans);
}

function updateCounts() {
  const box = document.getElementById('run-counts');
  if (!box) return;
  const counts = new Map();
  for (const tr of tbody.querySelectorAll('tr[data-run-id]')) {
    counts.set(tr.dataset.status, (counts.get(tr.dataset.status) || 0) + 1);
  }
  const order = ['running', 'stalled', 'crashed', 'finished'];
  const statuses = [...counts.keys()].sort((a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9));
  box.replaceChildren(...statuses.map((s) => {
    const wrap = document.createElement('span');
    wrap.className = 'run-count';
    const badge = document.createElement('span');
    fillStatus(badge, s);
    badge.dataset.role = 'status';
    wrap.append(badge, ` ${counts.get(s)}`);
    return wrap;
  }));
}
