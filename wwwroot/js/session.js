// The top bar's Sign in / Sign out button (shown when the service has an API key).
import { signIn } from './api.js';

const button = document.getElementById('session-button');
button?.addEventListener('click', async () => {
  if (button.dataset.signedIn === 'true') {
    await fetch('/api/session', { method: 'DELETE' });
    window.location.reload();
  } else if (await signIn()) {
    window.location.reload();
  } else {
    button.title = 'The service did not take that key';
  }
});
