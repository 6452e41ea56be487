// Writes from the pages' buttons. When the service has an API key configured and answers 401, the
// user is asked for the key once; it is kept in localStorage for the next writes, and forgotten
// when the service refuses it.

const STORAGE_KEY = 'dashboard.apiKey';

function storedKey() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: ask each time
  }
}

function storeKey(key) {
  try {
    if (key) localStorage.setItem(STORAGE_KEY, key);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage disabled */
  }
}

/**
 * POST to the API (a JSON body when one is given) with the stored API key, asking for one on 401.
 * @returns {Promise<Response>} the last response; a 401 means no accepted key was given
 */
export async function postWithKey(url, body) {
  const send = (key) => {
    const headers = { Accept: 'application/json' };
    if (key) headers['X-Api-Key'] = key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  const stored = storedKey();
  const first = await send(stored);
  if (first.status !== 401) return first;
  if (stored) storeKey(null);
  const key = window.prompt('This dashboard needs its API key for this action.\nAPI key:');
  if (!key) return first;
  const second = await send(key.trim());
  storeKey(second.status === 401 ? null : key.trim());
  return second;
}
