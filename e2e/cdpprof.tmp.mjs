// Long tasks near the end of a large-entity load, attributed by a CDP CPU profile.
import { join } from 'node:path';
import { ROOT, startStandin, launchBrowser, newContext, openPage } from './harness.mjs';
const name = process.argv[2] ?? 'large-entity';
const startAt = Number(process.argv[3] ?? 50000);
const view = name === 'kp-2025-06' ? 'asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z' : 'asn=64500&from=2025-06-07T00:00Z&until=2025-06-08T00:00Z';
const standin = await startStandin({ data: join(ROOT, 'target', 'scenarios', name) });
const browser = await launchBrowser();
try {
  const context = await newContext(browser);
  context.setDefaultTimeout(300_000);
  await context.addInitScript(() => {
    window.__t = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__t.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  });
  const page = await openPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
  await page.waitForTimeout(startAt);
  await cdp.send('Profiler.start');
  const p0 = await page.evaluate(() => performance.now());
  await page.locator('[data-testid=summary]').waitFor();
  await page.waitForTimeout(3000);
  const { profile } = await cdp.send('Profiler.stop');
  const tasks = await page.evaluate(() => window.__t);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // sample times (ms, page clock)
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const toPage = (us) => p0 + (us - profile.startTime) / 1000;
  console.log('long tasks', JSON.stringify(tasks.map(([s, d]) => [Math.round(s), Math.round(d)])));
  for (const [s, d] of tasks) {
    if (s < p0) continue;
    const self = {};
    const incl = {};
    let n = 0;
    profile.samples.forEach((id, i) => {
      const at = toPage(times[i]);
      if (at < s || at > s + d) return;
      n++;
      const node = byId.get(id);
      const f = node.callFrame.functionName || node.callFrame.url.slice(-30) || '(anon)';
      self[f] = (self[f] ?? 0) + 1;
    });
    console.log(`task ${Math.round(d)} ms at ${Math.round(s)}: ${n} samples`);
    for (const [f, c] of Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`   ${c}  ${f.slice(0, 140)}`);
  }
  // parents of samples: build inclusive for long tasks
  for (const [s, d] of tasks) {
    if (s < p0) continue;
    const incl = {};
    const parent = new Map();
    for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
    profile.samples.forEach((id, i) => {
      const at = toPage(times[i]);
      if (at < s || at > s + d) return;
      const seen = new Set();
      for (let x = id; x !== undefined; x = parent.get(x)) {
        const f = byId.get(x).callFrame.functionName;
        if (f && !seen.has(f)) { seen.add(f); incl[f] = (incl[f] ?? 0) + 1; }
      }
    });
    console.log(`inclusive, task at ${Math.round(s)}:`);
    for (const [f, c] of Object.entries(incl).sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`   ${c}  ${f.slice(0, 160)}`);
  }
} finally { await browser.close(); await standin.stop(); }
