// Writes from the pages' buttons. When the service has an API key and answers 401, the user is asked
// for the key once; it is exchanged for an HttpOnly session cookie (POST /api/session) and never kept
// where a script could read it.

/** Asks for the API key and signs this browser in; true when the service took the key. */
export async function signIn() {
  const key = window.prompt('This dashboard needs its API key for this action.\nAPI key:');
  if (!key) return false;
  const response = await fetch('/api/session', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiKey: key.trim() }),
  });
  return response.ok;
}

/**
 * POST to the API (a JSON body when one is given) with the session cookie, signing in on 401.
 * @returns {Promise<Response>} the last response; a 401 means no accepted key was given
 */
export async function postWithKey(url, body) {
  const send = () => {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const first = await send();
  if (first.status !== 401 || !(await signIn())) return first;
  return send();
}
