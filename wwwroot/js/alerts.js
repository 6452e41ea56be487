// Alerts on every page: fills alert elements from hub messages (textContent only, the texts of
// Components/Model/AlertItem.cs), keeps the layout's critical banner up to date, and posts the
// "Acknowledge" buttons. Pages with their own hub connection (data-live-feed) pass their `alert`
// messages to showInCriticalBanner; on other pages this module follows the hub itself.

import { startLive } from './live.js';
import { postWithKey } from './api.js';
import { formatStep, formatValue, setText } from './format.js';

const TONES = { critical: 'danger', warning: 'warning', info: 'info' };

/** Give an element Bootstrap's colour of a severity (AlertItem.Tone) as `${prefix}${tone}`, dropping the others. */
export function setTone(el, prefix, severity) {
  for (const tone of Object.values(TONES)) el?.classList.toggle(`${prefix}${tone}`, tone === (TONES[severity] ?? 'info'));
}

/** Run-level alerts (a crash, a stall) have no metric. */
export function metricText(metric) {
  return metric ? metric : 'whole run';
}

/** A clone of a server-rendered <template>'s element. */
export function fromTemplate(id) {
  return document.getElementById(id)?.content.firstElementChild?.cloneNode(true) ?? null;
}

/** Fill an element rendered by AlertBannerItem, AlertListItem or AlertCriticalItem from an alert (the API's shape). */
export function fillAlert(el, alert) {
  el.dataset.alertId = String(alert.id);
  el.dataset.severity = alert.severity;
  el.dataset.metric = alert.metric ?? '';
  if (el.classList.contains('alert')) setTone(el, 'alert-', alert.severity);
  const texts = {
    severity: alert.severity,
    message: alert.message,
    metric: metricText(alert.metric),
    first: formatStep(alert.firstStep),
    last: formatStep(alert.lastStep),
    value: alert.value === null || alert.value === undefined ? '—' : formatValue(alert.value),
    advice: alert.advice,
    run: `${alert.project} / ${alert.runName}`,
  };
  for (const field of el.querySelectorAll('[data-field]')) {
    const text = texts[field.dataset.field];
    if (text !== undefined) setText(field, text);
  }
  el.querySelector('[data-field="run"]')?.setAttribute('href', `/runs/${encodeURIComponent(alert.runId)}`);
  setAcknowledged(el, alert.acknowledgedAt !== null && alert.acknowledgedAt !== undefined);
}

function setAcknowledged(el, acknowledged) {
  el.dataset.acknowledged = acknowledged ? 'true' : 'false';
  const button = el.querySelector('[data-role="ack"]');
  const mark = el.querySelector('[data-role="acked"]');
  if (button) button.hidden = acknowledged;
  if (mark) mark.hidden = !acknowledged;
}

function itemsOf(root, id) {
  return [...root.querySelectorAll('[data-alert-id]')].filter((el) => el.dataset.alertId === String(id));
}

/** Add, update or drop an alert in the critical banner: it lists the active critical alerts of every run. */
export function showInCriticalBanner(alert) {
  const banner = document.getElementById('critical-banner');
  const list = document.getElementById('critical-list');
  if (!banner || !list || !alert) return;
  const [existing] = itemsOf(list, alert.id);
  if (alert.active && alert.severity === 'critical') {
    const el = existing ?? fromTemplate('critical-item-template');
    if (!el) return;
    fillAlert(el, alert);
    if (!existing) list.prepend(el);
  } else {
    existing?.remove();
  }
  banner.hidden = list.childElementCount === 0;
}

/** After a reconnect: the critical alerts as the store has them now. */
export async function refreshCriticalBanner() {
  const list = document.getElementById('critical-list');
  if (!list) return;
  try {
    const res = await fetch('/api/alerts?active=true&severity=critical', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const alerts = await res.json();
    const now = new Set(alerts.map((a) => String(a.id)));
    for (const el of [...list.children]) if (!now.has(el.dataset.alertId)) el.remove();
    for (const alert of alerts.reverse()) showInCriticalBanner(alert);
    document.getElementById('critical-banner').hidden = list.childElementCount === 0;
  } catch (err) {
    console.warn('critical alerts refresh failed', err);
  }
}

async function acknowledge(button) {
  const item = button.closest('[data-alert-id]');
  if (!item) return;
  button.disabled = true;
  try {
    const res = await postWithKey(`/api/alerts/${encodeURIComponent(item.dataset.alertId)}/acknowledge`);
    if (!res.ok) throw new Error(res.status === 401 ? 'the API key was not accepted' : `HTTP ${res.status}`);
    const alert = await res.json();
    for (const el of itemsOf(document, alert.id)) setAcknowledged(el, true);
    button.title = '';
  } catch (err) {
    console.warn('acknowledge failed', err);
    button.title = `Not acknowledged: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(script);
  });
}

async function followCriticalAlerts() {
  if (!window.signalR) await loadScript('/lib/signalr.min.js');
  startLive({
    subscribe: (conn) => conn.invoke('SubscribeAll'),
    handlers: { alert: showInCriticalBanner },
    onSubscribed: ({ reconnected }) => (reconnected ? refreshCriticalBanner() : undefined),
  });
}

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-role="ack"]') : null;
  if (button) acknowledge(button);
});

if (document.getElementById('critical-banner') && !document.querySelector('[data-live-feed]')) {
  followCriticalAlerts().catch((err) => console.warn('live alerts unavailable', err));
}
