// Benchmark (not a test): the real page on a synthetic scenario, served by the stand-in.
// Reports how long the page took to show its summary and the main thread's long tasks
// (PerformanceObserver 'longtask': every task over 50 ms) from the first byte to then, then
// the same for the graph's evidence on the origin node.
// Usage: node scripts/bench-page.mjs [large-entity|kp-2025-06]   (after scripts/build.sh; the
//   large entity first needs: cargo run --release -p outage-lens-scenario --bin gen-scenario --
//   large-entity target/scenarios/large-entity)
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { ROOT, startStandin, launchBrowser, newContext, openPage } from '../e2e/harness.mjs';

const scenarios = {
  'large-entity': { asn: 64500, view: 'asn=64500&from=2025-06-07T00:00Z&until=2025-06-08T00:00Z' },
  'kp-2025-06': { asn: 131279, view: 'asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z' },
};
const name = process.argv[2] ?? 'large-entity';
const { asn, view } = scenarios[name] ?? process.exit(2);
const data = join(ROOT, 'target', 'scenarios', name);
const standin = await startStandin({ data });
const browser = await launchBrowser();
try {
  const context = await newContext(browser);
  context.setDefaultTimeout(300_000);
  context.setDefaultNavigationTimeout(60_000);
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await openPage(context);
  // LINK_MBIT=N: the page downloads at N Mbit/s (Chromium's network emulation) instead of at
  // loopback speed, where hundreds of MB arrive in bursts that Blink's own reading of the
  // response stream turns into 80-140 ms tasks before any of the page's code sees them.
  const mbit = Number(process.env.LINK_MBIT ?? 0);
  if (mbit > 0) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: (mbit * 1e6) / 8,
      uploadThroughput: (mbit * 1e6) / 8,
    });
  }
  const t0 = Date.now();
  await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
  await page.locator('[data-testid=summary]').waitFor();
  const shownMs = Date.now() - t0;
  const shownAt = await page.evaluate(() => performance.now());
  // Let the charts and the graph draw before reading the tasks.
  await page.waitForTimeout(3000);
  const tasks = await page.evaluate(() => window.__longTasks);
  const bytes = statSync(join(data, 'ripestat', 'bgplay', `AS${asn}.json`)).size;
  const max = tasks.reduce((m, [, d]) => Math.max(m, d), 0);
  console.log(
    `page ${name} (synthetic; bgplay recording ${bytes} bytes; view ${view}${mbit > 0 ? `; link ${mbit} Mbit/s` : ''}) ` +
      `summary_shown_ms=${shownMs} long_tasks=${tasks.length} longest_task_ms=${max.toFixed(0)} ` +
      `long_tasks=[${tasks.map(([t, d]) => `${d.toFixed(0)}ms@${((t - shownAt) / 1000).toFixed(1)}s`).join(',')}] ` +
      '(@: start, seconds from the summary showing)',
  );
  // The graph's evidence on the origin: every route crosses it, so every prefix's routes are
  // rebuilt at the moment.
  const origin = page.locator(`[data-testid=graph] g.node[data-asn="${asn}"]`);
  if (await origin.count()) {
    const before = await page.evaluate(() => window.__longTasks.length);
    const asked = await page.evaluate(() => performance.now());
    await origin.click();
    await page.locator('[data-testid=graph-evidence-text]').waitFor();
    const answered = await page.evaluate(() => performance.now());
    await page.waitForTimeout(500);
    const during = (await page.evaluate(() => window.__longTasks)).slice(before);
    const worst = during.reduce((m, [, d]) => Math.max(m, d), 0);
    console.log(
      `evidence on the origin node: shown_ms=${(answered - asked).toFixed(0)} ` +
        `long_tasks=${during.length} longest_task_ms=${worst.toFixed(0)}`,
    );
  }
  if (page.problems.length) console.log(`problems: ${page.problems.join('; ')}`);
} finally {
  await browser.close();
  await standin.stop();
}
