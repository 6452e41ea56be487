// A run page's alerts (Components/Shared/AlertBanner.razor): active warnings and critical alerts in
// the banner, active information and resolved alerts in the collapsed lists below it, and each
// alert's marker plus the guide's expected bands on the charts. Kept live from `alert` messages.

import { fillAlert, fromTemplate } from './alerts.js';

const json = async (url) => {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
};

export class RunAlerts {
  /** @param {Array} charts the page's charts (the live array: charts added later are decorated too) */
  constructor(root, runId, charts) {
    this.root = root;
    this.runId = runId;
    this.charts = charts;
    this.alerts = new Map(); // id → latest alert, for charts added later
    this.banner = root?.querySelector('#alert-banner');
    this.info = root?.querySelector('#alert-info');
    this.resolved = root?.querySelector('#alert-resolved');
  }

  /** An alert of this run was raised, escalated or resolved. */
  apply(alert) {
    if (!alert || alert.runId !== this.runId) return;
    // The page hears its run's alerts twice (its run's group and every run's) and reloads them after a reconnect.
    const seen = this.alerts.get(alert.id);
    if (seen && JSON.stringify(seen) === JSON.stringify(alert)) return;
    this.alerts.set(alert.id, alert);
    for (const chart of this.charts) chart.addAlert(alert);
    if (!this.root) return;
    const list = !alert.active ? this.resolved : alert.severity === 'info' ? this.info : null;
    const container = list ? list.querySelector('[data-role="list"]') : this.banner;
    let el = [...this.root.querySelectorAll('[data-alert-id]')].find((e) => e.dataset.alertId === String(alert.id));
    if (el && el.parentElement !== container) {
      el.remove();
      el = null;
    }
    if (!el) {
      el = fromTemplate(list ? 'alert-list-template' : 'alert-banner-template');
      if (!el) return;
      container.prepend(el);
    }
    fillAlert(el, alert);
    for (const details of [this.info, this.resolved]) {
      const n = details.querySelector('[data-role="list"]').childElementCount;
      details.hidden = n === 0;
      details.querySelector('[data-role="count"]').textContent = String(n);
    }
  }

  /** Every alert and band of the run as the store has them (on load, and after a reconnect). */
  async load() {
    try {
      const [alerts, bands] = await Promise.all([json(`/api/runs/${this.runId}/alerts`), json(`/api/runs/${this.runId}/bands`)]);
      for (const chart of this.charts) chart.setBands(bands);
      // Newest last, so that the items put on top end in the API's order.
      for (const alert of alerts.reverse()) this.apply(alert);
    } catch (err) {
      console.warn('alerts of the run failed to load', err);
    }
  }

  /** A chart for a metric the page did not know: its markers now, its bands once the store names them. */
  chartAdded(chart) {
    for (const alert of this.alerts.values()) chart.addAlert(alert);
    json(`/api/runs/${this.runId}/bands`)
      .then((bands) => chart.setBands(bands))
      .catch((err) => console.warn('bands failed to load', err));
  }
}
