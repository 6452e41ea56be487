// The run list's alert counts (Components/Shared/AlertCountBadges.razor): active critical alerts
// and warnings per run, recounted from the API after `alert` messages (an escalation or a resolve
// changes two counts at once, so counting what the store holds is simpler than adding and subtracting).

import { setText } from './format.js';
import { afterQuiet } from './quiet.js';

let latest = 0;

export const scheduleAlertCounts = afterQuiet((tbody) => refreshAlertCounts(tbody));

async function refreshAlertCounts(tbody) {
  const request = ++latest;
  try {
    const res = await fetch('/api/alerts?active=true', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const alerts = await res.json();
    if (request !== latest) return; // a newer count is on its way
    const counts = new Map();
    for (const a of alerts) {
      if (a.severity !== 'warning' && a.severity !== 'critical') continue;
      const c = counts.get(a.runId) ?? { warning: 0, critical: 0 };
      c[a.severity]++;
      counts.set(a.runId, c);
    }
    for (const tr of tbody.querySelectorAll('tr[data-run-id]')) {
      const cell = tr.querySelector('[data-role="alert-counts"]');
      if (cell) fillAlertCounts(cell, counts.get(Number(tr.dataset.runId)) ?? { warning: 0, critical: 0 });
    }
  } catch (err) {
    console.warn('alert counts refresh failed', err);
  }
}

function fillAlertCounts(cell, { warning, critical }) {
  const fill = (badge, n, text) => {
    if (!badge) return;
    badge.dataset.count = String(n);
    badge.hidden = n === 0;
    setText(badge, text);
  };
  fill(cell.querySelector('[data-role="critical-count"]'), critical, `${critical} critical`);
  fill(cell.querySelector('[data-role="warning-count"]'), warning, `${warning} ${warning === 1 ? 'warning' : 'warnings'}`);
}
