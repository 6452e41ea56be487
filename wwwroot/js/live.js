// Shared SignalR connection to /hubs/live with reconnect. Needs the global `signalR`
// (lib/signalr.min.js loaded as a classic script before the module).
//
// Readiness for tests and users: document.body.dataset.live is "connecting", "connected"
// (connected AND subscribed), "reconnecting" or "offline"; #live-indicator mirrors it.

const LABELS = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  offline: 'offline',
};

function setState(state) {
  document.body.dataset.live = state;
  const el = document.getElementById('live-indicator');
  if (!el) return;
  el.dataset.state = state;
  el.title = `Live updates: ${LABELS[state] ?? state}`;
  const text = el.querySelector('.live-indicator-text');
  if (text) text.textContent = LABELS[state] ?? state;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Connect, subscribe and keep the connection alive.
 * @param {object} opts
 * @param {(conn: any) => Promise<void>} opts.subscribe   invoked after every (re)connect
 * @param {Record<string, Function>} opts.handlers       server→client message handlers
 * @param {(info: {reconnected: boolean}) => (void|Promise<void>)} [opts.onSubscribed]
 *        called once subscribed (initially and after every reconnect): fill gaps here
 * @returns {{connection: any, stop: () => Promise<void>}}
 */
export function startLive({ subscribe, handlers, onSubscribed }) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/live')
    .withAutomaticReconnect({
      // Never give up: 0, 1, 2, 4, 8, then every 10 seconds.
      nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, ctx.previousRetryCount === 0 ? 0 : 1000 * 2 ** (ctx.previousRetryCount - 1)),
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  for (const [name, fn] of Object.entries(handlers)) {
    connection.on(name, (...args) => {
      try {
        fn(...args);
      } catch (err) {
        console.error(`live: handler for "${name}" failed`, err);
      }
    });
  }

  let stopped = false;
  let looping = false;
  let everConnected = false;

  async function afterConnect() {
    await subscribe(connection);
    setState('connected');
    const reconnected = everConnected;
    everConnected = true;
    if (onSubscribed) await onSubscribed({ reconnected });
  }

  // Our own loop for the initial start and after the automatic reconnect gave up (onclose).
  async function startLoop() {
    if (looping) return;
    looping = true;
    try {
      await loop();
    } finally {
      looping = false;
    }
  }

  async function loop() {
    let attempt = 0;
    while (!stopped) {
      setState(everConnected ? 'reconnecting' : 'connecting');
      try {
        if (connection.state === signalR.HubConnectionState.Disconnected) await connection.start();
        await afterConnect();
        return;
      } catch (err) {
        console.warn('live: connection failed, retrying', err);
        if (connection.state === signalR.HubConnectionState.Connected) {
          try { await connection.stop(); } catch { /* ignore */ }
        }
        setState('offline');
        attempt++;
        await sleep(Math.min(10000, 500 * 2 ** Math.min(attempt, 5)));
      }
    }
  }

  connection.onreconnecting(() => setState('reconnecting'));
  connection.onreconnected(async () => {
    try {
      await afterConnect();
    } catch (err) {
      console.warn('live: resubscribe failed', err);
      try { await connection.stop(); } catch { /* onclose restarts */ }
    }
  });
  connection.onclose(() => {
    if (stopped || looping) return;
    setState('offline');
    setTimeout(startLoop, 1000);
  });

  startLoop();

  return {
    connection,
    stop: async () => {
      stopped = true;
      await connection.stop();
      setState('offline');
    },
  };
}
