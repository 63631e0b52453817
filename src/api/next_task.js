// A new task of the event loop, for long work to go on in after the page has rendered and
// answered input. scheduler.postTask where the browser has it: no objects left per pause (a
// MessageChannel per pause left two ports and a pipe each for the garbage collector; a
// profiled long task had spent 60 ms in making and posting one, though the long tasks stayed
// after this change, README "Budgets and measurements"). Elsewhere a message to ourselves on
// one channel, which is not throttled as nested setTimeout(0)s are (4 ms each); each message
// answers the oldest waiter.
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
