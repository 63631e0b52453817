// The page's side of public/fetch-worker.js. workerFetch(url, signal) resolves to a Response as
// fetch does; its body streams the pieces the worker posts, so the page never reads the network
// itself. Where no worker runs (none could be made, or its script did not load) it is fetch.
// The body asks the worker for each piece as its reader drains it, AHEAD pieces in advance:
// the download goes at the pace of the page's reading, as a body of fetch's own would.
const AHEAD = 4;
let worker; // undefined: not made yet; null: none to be had
let lastId = 0;
const calls = new Map(); // id -> {url, signal, resolve, reject, body, done}

function failure(e) {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

function finish(id) {
  const c = calls.get(id);
  if (c) {
    calls.delete(id);
    c.signal.removeEventListener("abort", c.onAbort);
    pulled(c);
  }
  return c;
}

// The body's pending pull is answered (a piece came, or no more will).
function pulled(c) {
  c.pulled?.();
  c.pulled = null;
}

function start() {
  try {
    worker = new Worker("/fetch-worker.js");
  } catch {
    worker = null;
    return;
  }
  worker.onmessage = (e) => {
    const m = e.data;
    const c = calls.get(m.id);
    if (!c) return;
    if (m.head) {
      const headers = new Headers();
      if (m.head.retryAfter !== null) headers.set("retry-after", m.head.retryAfter);
      if (m.head.length !== null) headers.set("content-length", m.head.length);
      const nullBody = [101, 103, 204, 205, 304].includes(m.head.status);
      const body = nullBody
        ? null
        : new ReadableStream(
            {
              start: (ctl) => (c.body = ctl),
              pull: () =>
                new Promise((res) => {
                  c.pulled = res;
                  worker?.postMessage({ id: m.id, more: true });
                }),
              cancel: () => {
                finish(m.id);
                worker?.postMessage({ id: m.id, cancel: true });
              },
            },
            { highWaterMark: AHEAD },
          );
      try {
        c.resolve(new Response(body, { status: m.head.status, headers }));
        c.answered = true;
      } catch (err) {
        finish(m.id);
        worker.postMessage({ id: m.id, cancel: true });
        c.reject(err);
      }
    } else if (m.chunk) {
      c.body?.enqueue(new Uint8Array(m.chunk));
      pulled(c);
    } else if (m.end) {
      finish(m.id);
      c.body?.close();
    } else if (m.error) {
      finish(m.id);
      const err = failure(m.error);
      if (c.answered) c.body?.error(err);
      else c.reject(err);
    }
  };
  // The script did not load (or the worker broke): requests go on from the page.
  worker.onerror = () => {
    worker.terminate();
    worker = null;
    for (const id of [...calls.keys()]) {
      const c = finish(id);
      if (c.answered) c.body?.error(new Error("the fetch worker stopped"));
      else fetch(c.url, { signal: c.signal }).then(c.resolve, c.reject);
    }
  };
}

export function workerFetch(url, signal) {
  if (worker === undefined) start();
  if (!worker) return fetch(url, { signal });
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const id = ++lastId;
    const c = { url, signal, resolve, reject, body: null, pulled: null, answered: false };
    c.onAbort = () => {
      finish(id);
      worker?.postMessage({ id, cancel: true });
      if (c.answered) c.body?.error(signal.reason);
      else reject(signal.reason);
    };
    signal.addEventListener("abort", c.onAbort);
    calls.set(id, c);
    worker.postMessage({ id, url });
  });
}
