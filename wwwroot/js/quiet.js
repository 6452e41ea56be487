// Coalescing for pages that reload something after hub messages: a burst of messages costs one request.

const QUIET_MS = 150;

/** A function that runs `fn` once no call to it came for `ms` milliseconds. */
export function afterQuiet(fn, ms = QUIET_MS) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
