// Formatting shared by the live modules. Mirrors Components/Model/ValueFormat.cs so that values
// rendered on the server and values updated live look the same.

/** Values travel as numbers or as the strings "NaN", "Infinity", "-Infinity". */
export function toNumber(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === null || v === undefined) return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

export function formatValue(raw) {
  const v = toNumber(raw);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  if (a >= 1000) return v.toFixed(1);
  return String(Number(v.toPrecision(4)));
}

export function formatStep(step) {
  return step === null || step === undefined ? '—' : String(step);
}

export function formatStepOfTotal(step, total) {
  if (total === null || total === undefined) return formatStep(step);
  return `${formatStep(step ?? 0)} / ${formatStep(total)}`;
}

/** "2025-08-15 20:41:07 UTC" from an ISO time, as ValueFormat.UtcText writes it. */
export function formatUtc(iso) {
  const text = new Date(iso).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)} UTC`;
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export function formatAgo(seconds) {
  const s = Math.floor(seconds);
  if (s < 1) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** Same rule as RunProgress.Compute: percent of total, ETA from the average pace so far. */
export function progressOf(run) {
  const step = run.step ?? null;
  const total = run.totalSteps ?? null;
  let percent = null;
  if (total > 0 && step !== null) percent = Math.min(100, Math.max(0, (100 * step) / total));
  else if (run.status === 'finished' && total > 0) percent = 100;
  let eta = null;
  const elapsed = (Date.parse(run.updatedAt) - Date.parse(run.startedAt)) / 1000;
  if ((run.status === 'running' || run.status === 'stalled') && step > 0 && total > step && elapsed > 0) {
    eta = (elapsed * (total - step)) / step;
  }
  return {
    stepText: formatStepOfTotal(step, total),
    percent,
    percentText: percent === null ? null : String(Math.round(percent * 10) / 10),
    etaText: eta === null ? '' : `ETA ${formatDuration(eta)}`,
  };
}

/** Fill a ProgressCell (see Components/Shared/ProgressCell.razor) in place. */
export function fillProgress(root, run) {
  const p = progressOf(run);
  const stepEl = root.querySelector('[data-role="step"]');
  setText(stepEl, p.stepText);
  if (stepEl) stepEl.dataset.runStep = run.step === null || run.step === undefined ? '' : String(run.step);
  setText(root.querySelector('[data-role="eta"]'), p.etaText);
  const bar = root.querySelector('.run-progress-bar');
  if (bar) {
    bar.hidden = p.percent === null;
    bar.setAttribute('aria-valuenow', p.percentText ?? '0');
    const inner = bar.querySelector('[data-role="bar"]');
    if (inner) inner.style.width = `${p.percentText ?? 0}%`;
  }
}

/** Fill a StatusBadge in place. */
export function fillStatus(badge, status) {
  if (!badge) return;
  badge.textContent = status;
  badge.dataset.status = status;
  badge.className = `badge status-badge status-${status}`;
}

export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/** Refresh every <time data-updated-at> under root ("12s ago"). */
export function refreshAgo(root = document) {
  const now = Date.now();
  for (const t of root.querySelectorAll('time[data-updated-at]')) {
    const at = Date.parse(t.dataset.updatedAt);
    if (!Number.isNaN(at)) setText(t, formatAgo((now - at) / 1000));
  }
}
