// The jobs page, live over the hub's `job` messages (the run page's checkpoint list is a Blazor component now).
// Every value goes into the DOM through textContent.
import { startLive } from './live.js';
import { formatStep, formatValue, setText } from './format.js';
import { postWithKey } from './api.js';

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function progressText(job) {
  if (job.progress) return `${job.progress.done}/${job.progress.total} (${Math.round((job.progress.done / job.progress.total) * 100)}%)`;
  return job.status === 'running' ? 'running' : '';
}

function percent(job) {
  if (job.progress) return Math.round((job.progress.done / job.progress.total) * 100);
  return job.status === 'succeeded' ? 100 : 0;
}

function metricsText(job) {
  if (!job.metrics) return '';
  return Object.entries(job.metrics).map(([k, v]) => `${k} ${formatValue(v)}`).join('  ');
}

// ---- jobs page ----

function cell(row, role) {
  return row.querySelector(`[data-role="${role}"]`);
}

function newRow(job) {
  const row = document.createElement('tr');
  row.className = 'job-row';
  const td = (cls) => {
    const c = document.createElement('td');
    if (cls) c.className = cls;
    row.appendChild(c);
    return c;
  };
  const el = (parent, tag, role, cls) => {
    const e = document.createElement(tag);
    if (role) e.dataset.role = role;
    if (cls) e.className = cls;
    parent.appendChild(e);
    return e;
  };
  setText(td('num'), `#${job.id}`);
  const run = el(td(), 'a', 'run');
  run.href = `/runs/${job.runId}`;
  run.textContent = `run ${job.runId}`;
  el(td(), 'span', 'kind');
  const checkpoint = td('job-checkpoint');
  el(checkpoint, 'code', 'checkpoint');
  checkpoint.append(' ');
  el(checkpoint, 'span', 'step', 'text-body-secondary small');
  el(td(), 'span', 'status', 'badge job-status');
  const progress = td('job-progress-cell');
  const bar = el(progress, 'div', null, 'progress job-progress');
  el(bar, 'div', 'bar', 'progress-bar');
  el(progress, 'span', 'progress', 'small text-body-secondary');
  el(td('small'), 'span', 'slot');
  el(td('num small'), 'span', 'attempts');
  const result = td('small job-result');
  el(result, 'span', 'reason', 'job-reason');
  el(result, 'span', 'metrics', 'job-metrics');
  const details = el(result, 'details', null, 'job-output');
  el(details, 'summary').textContent = 'output';
  el(details, 'pre', 'output');
  const actions = td('job-actions');
  for (const [action, label, cls] of [['cancel', 'Cancel', 'btn-outline-danger'], ['retry', 'Retry', 'btn-outline-primary']]) {
    const button = el(actions, 'button', null, `btn btn-sm ${cls}`);
    button.type = 'button';
    button.dataset.jobAction = action;
    button.dataset.jobId = String(job.id);
    button.textContent = label;
  }
  return row;
}

function fillRow(row, job) {
  row.dataset.jobId = String(job.id);
  row.dataset.status = job.status;
  row.dataset.runId = String(job.runId);
  setText(cell(row, 'kind'), job.kind);
  const checkpoint = cell(row, 'checkpoint');
  setText(checkpoint, job.checkpointName);
  checkpoint.title = job.checkpoint;
  setText(cell(row, 'step'), formatStep(job.resultStep ?? job.checkpointStep));
  const status = cell(row, 'status');
  status.className = `badge job-status job-status-${job.status}`;
  setText(status, job.status);
  cell(row, 'bar').style.width = `${percent(job)}%`;
  setText(cell(row, 'progress'), progressText(job));
  setText(cell(row, 'slot'), job.slot ?? '');
  setText(cell(row, 'attempts'), String(job.attempts));
  setText(cell(row, 'reason'), job.reason ?? '');
  setText(cell(row, 'metrics'), metricsText(job));
  setText(cell(row, 'output'), (job.output ?? []).join('\n'));
  row.querySelector('[data-job-action="cancel"]').hidden = !(job.status === 'queued' || job.status === 'running');
  row.querySelector('[data-job-action="retry"]').hidden = !(job.status === 'failed' || job.status === 'cancelled');
}

function applyFilter(page) {
  const active = page.querySelector('[data-filter].active')?.dataset.filter ?? 'all';
  for (const row of page.querySelectorAll('tr.job-row')) row.hidden = active !== 'all' && row.dataset.status !== active;
}

function recount(page) {
  const rows = [...page.querySelectorAll('tr.job-row')];
  for (const counter of page.querySelectorAll('[data-count]')) {
    const status = counter.dataset.count;
    setText(counter, String(status === 'all' ? rows.length : rows.filter((r) => r.dataset.status === status).length));
  }
  page.querySelector('#jobs-empty').hidden = rows.length > 0;
}

function upsert(page, job) {
  const body = page.querySelector('#jobs-body');
  let row = body.querySelector(`tr.job-row[data-job-id="${job.id}"]`);
  if (!row) {
    row = newRow(job);
    const newer = [...body.querySelectorAll('tr.job-row')].find((r) => Number(r.dataset.jobId) < job.id);
    body.insertBefore(row, newer ?? null);
  }
  fillRow(row, job);
  recount(page);
  applyFilter(page);
}

function startJobsPage(page) {
  page.addEventListener('click', async (event) => {
    const filter = event.target.closest('[data-filter]');
    if (filter) {
      for (const b of page.querySelectorAll('[data-filter]')) b.classList.toggle('active', b === filter);
      applyFilter(page);
      return;
    }
    const button = event.target.closest('[data-job-action]');
    if (!button) return;
    button.disabled = true;
    const response = await postWithKey(`/api/jobs/${button.dataset.jobId}/${button.dataset.jobAction}`);
    button.disabled = false;
    if (response && response.ok) {
      if (response.status === 200) upsert(page, await response.json());
    } else if (response) {
      window.alert(await problemText(response));
    }
  });
  startLive({
    subscribe: (connection) => connection.invoke('SubscribeAll'),
    handlers: { job: (job) => upsert(page, job) },
    onSubscribed: async () => {
      const response = await fetch('/api/jobs');
      if (response.ok) for (const job of (await response.json()).reverse()) upsert(page, job);
      page.dataset.ready = 'true';
    },
  });
}

const page = document.getElementById('jobs-page');
if (page) startJobsPage(page);
