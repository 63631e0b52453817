// Outage Lens' fetches, off the page's thread (see src/api/worker_fetch.js for the page's side).
// Chromium reads a response's bytes on the thread that fetched it; a large entity's 100 MB
// answer read on the page held it for 80-240 ms at a time. Here the bytes are read in the
// worker and posted to the page in pieces of at least PIECE bytes, each a transferred
// ArrayBuffer (handed over, not copied). A piece is posted only when the page asks for one
// ({id, more}): the download keeps the page's pace, so the network, this worker and the server
// do not take the cores from the page's parsing in bursts, and unread answers do not pile up
// in the page's memory.
//
// Messages in: {id, url} starts a GET; {id, more: true} asks for one more piece;
// {id, cancel: true} aborts it.
// Messages out: {id, head: {status, retryAfter, length}}, then {id, chunk}, ..., {id, end: true};
// or {id, error: {name, message}} at any point. A cancelled request says nothing more.
"use strict";

const PIECE = 1 << 20;
// A worker loaded from a URL does not inherit the page's Content-Security-Policy, so it keeps
// the policy's connect-src itself: scripts/csp_hash.py writes the API origins here at build
// time, from the same config.json. Left as it is, only the page's own origin is allowed.
const ALLOWED = [] /*CONNECT_SRC_ORIGINS*/;
const allowed = (url) => {
  const origin = new URL(url, self.location.href).origin;
  return origin === self.location.origin || ALLOWED.includes(origin);
};
const running = new Map();

self.onmessage = (e) => {
  const { id, url, more, cancel } = e.data;
  const r = running.get(id);
  if (more || cancel) {
    if (!r) return;
    if (cancel) {
      r.abort.abort();
      running.delete(id);
    }
    r.credit += more ? 1 : 0;
    r.wake?.();
    return;
  }
  const c = { abort: new AbortController(), credit: 0, wake: null };
  running.set(id, c);
  get(id, url, c).finally(() => running.delete(id));
};

// Resolves once the page has asked for a piece (or the request was cancelled).
async function granted(r) {
  while (r.credit === 0 && !r.abort.signal.aborted) await new Promise((res) => (r.wake = res));
  r.wake = null;
  r.credit -= 1;
}

async function get(id, url, r) {
  const signal = r.abort.signal;
  try {
    if (!allowed(url)) throw new DOMException(url + " is not a host of this build's configuration", "SecurityError");
    const resp = await fetch(url, { signal });
    if (!allowed(resp.url)) throw new DOMException("redirected to " + resp.url + ", not a configured host", "SecurityError");
    const h = resp.headers;
    self.postMessage({
      id,
      head: { status: resp.status, retryAfter: h.get("retry-after"), length: h.get("content-length") },
    });
    if (resp.body) {
      const reader = resp.body.getReader();
      let parts = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (value) {
          parts.push(value);
          size += value.length;
        }
        if (size >= PIECE || (done && size > 0)) {
          const piece = join(parts, size);
          await granted(r);
          if (signal.aborted) return;
          self.postMessage({ id, chunk: piece }, [piece]);
          parts = [];
          size = 0;
        }
        if (done) break;
      }
    }
    self.postMessage({ id, end: true });
  } catch (err) {
    if (!signal.aborted) {
      const error = err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: "the request could not be made" };
      self.postMessage({ id, error });
    }
  }
}

function join(parts, size) {
  if (parts.length === 1 && parts[0].byteOffset === 0 && parts[0].byteLength === parts[0].buffer.byteLength) {
    return parts[0].buffer;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}
