// The alerts page (/alerts, Components/Pages/AlertsPage.razor): follows the hub and, after `alert`
// messages (a raise, resolve, escalation or acknowledgement anywhere), reloads the page's filtered
// list from the API and brings the table to it. Reloading rather than applying the message: the
// store knows whether an alert still passes the filters (an active-only page drops a resolved one)
// and where it sorts (active, loudest, newest first), so the page never judges either itself; it is
// also how the page catches up after a reconnect. New rows are clones of the server-rendered
// <template id="alert-row-template"> filled through textContent, like every alert element.

import { startLive } from './live.js';
import { fillAlert, fromTemplate, refreshCriticalBanner, setTone, showInCriticalBanner } from './alerts.js';
import { afterQuiet } from './quiet.js';
import { formatUtc, setText } from './format.js';

const tbody = document.getElementById('alerts-body');
let latest = 0;

if (tbody) init();

function init() {
  const schedule = afterQuiet(refreshRows);
  startLive({
    subscribe: (conn) => conn.invoke('SubscribeAll'),
    handlers: {
      alert: (alert) => {
        showInCriticalBanner(alert);
        schedule();
      },
    },
    onSubscribed: async () => {
      // Alerts changed between the page's rendering (or the disconnect) and the subscription.
      schedule();
      await refreshCriticalBanner();
    },
  });
}

async function refreshRows() {
  const request = ++latest;
  try {
    const res = await fetch(`/api/alerts?${tbody.dataset.query ?? ''}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const alerts = await res.json();
    if (request !== latest) return; // a newer list is on its way
    showRows(alerts);
  } catch (err) {
    console.warn('alerts refresh failed', err);
  }
}

/** Make the table's rows the given alerts, in their order, reusing the rows it has. */
function showRows(alerts) {
  const rows = new Map([...tbody.querySelectorAll('tr[data-alert-id]')].map((tr) => [tr.dataset.alertId, tr]));
  const empty = document.getElementById('alerts-empty');
  for (const alert of alerts) {
    const tr = rows.get(String(alert.id)) ?? fromTemplate('alert-row-template');
    if (!tr) return;
    rows.delete(String(alert.id));
    fillRow(tr, alert);
    tbody.insertBefore(tr, empty); // appended in the API's order, above the "no alerts" row
  }
  for (const gone of rows.values()) gone.remove();
  if (empty) empty.hidden = alerts.length > 0;
}

function fillRow(tr, alert) {
  fillAlert(tr, alert);
  tr.dataset.active = alert.active ? 'true' : 'false';
  tr.classList.toggle('alert-row-resolved', !alert.active);
  setText(tr.querySelector('[data-field="rule"]'), alert.ruleId);
  setTone(tr.querySelector('[data-field="severity"]'), 'text-bg-', alert.severity);
  setTime(tr.querySelector('[data-field="raised"]'), alert.raisedAt, '—');
  setTime(tr.querySelector('[data-field="resolved"]'), alert.resolvedAt, 'active');
}

/** A <time> as AlertItem renders it: the UTC text, or `none` when there is no time. */
function setTime(el, iso, none) {
  if (!el) return;
  el.dateTime = iso ?? '';
  setText(el, iso ? formatUtc(iso) : none);
}
