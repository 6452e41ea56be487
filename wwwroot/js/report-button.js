// "Make report" on a run page: POST /api/runs/{id}/reports, then open the report. When the service
// needs an API key, the user is asked for it once (api.js).

import { setText } from './format.js';
import { postWithKey } from './api.js';

for (const root of document.querySelectorAll('.report-button')) {
  const button = root.querySelector('[data-role="make-report"]');
  const status = root.querySelector('[data-role="report-status"]');
  button.addEventListener('click', async () => {
    button.disabled = true;
    setText(status, 'making the report…');
    try {
      const response = await postWithKey(`/api/runs/${encodeURIComponent(root.dataset.runId)}/reports`);
      if (response.status === 201) {
        const { url } = await response.json();
        window.location.assign(new URL(url).pathname);
        return;
      }
      const problem = await response.json().catch(() => ({}));
      setText(status, problem.detail || problem.title || `failed (${response.status})`);
    } catch (err) {
      setText(status, `failed: ${err}`);
    }
    button.disabled = false;
  });
}
