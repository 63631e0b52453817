// A new task of the event loop, for long work to go on in after the page has rendered and
// answered input. scheduler.postTask where the browser has it: a MessageChannel made per
// pause (two ports and a pipe between them, each left for the garbage collector) made the
// page's calls into the browser slow for 60 ms and more at times (profiled, issue #3).
// Elsewhere a message to ourselves on one channel, which is not throttled as nested
// setTimeout(0)s are (4 ms each); each message answers the oldest waiter.
let port;
const waiting = [];

export function nextTask() {
  if (globalThis.scheduler?.postTask) return scheduler.postTask(() => {});
  if (!port) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    port = channel.port2;
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    port.postMessage(null);
  });
}
