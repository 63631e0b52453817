// Benchmark (not a test): the real page on the synthetic large entity, served by the stand-in.
// Reports how long the page took to show its summary and the main thread's long tasks
// (PerformanceObserver 'longtask': every task over 50 ms) from the first byte to then.
// Usage: node scripts/bench-page.mjs   (after scripts/build.sh and
//   cargo run --release -p outage-lens-scenario --bin gen-scenario -- large-entity target/scenarios/large-entity)
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { ROOT, startStandin, launchBrowser, newContext, openPage } from '../e2e/harness.mjs';

const data = join(ROOT, 'target', 'scenarios', 'large-entity');
const view = 'asn=64500&from=2025-06-07T00:00Z&until=2025-06-08T00:00Z';
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
  const t0 = Date.now();
  await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
  await page.locator('[data-testid=summary]').waitFor();
  const shownMs = Date.now() - t0;
  const shownAt = await page.evaluate(() => performance.now());
  // Let the charts and the graph draw before reading the tasks.
  await page.waitForTimeout(3000);
  const tasks = await page.evaluate(() => window.__longTasks);
  const bytes = statSync(join(data, 'ripestat', 'bgplay', 'AS64500.json')).size;
  const max = tasks.reduce((m, [, d]) => Math.max(m, d), 0);
  console.log(
    `page large-entity (synthetic; recording ${bytes} bytes, the view asks 2 of its 7 days) ` +
      `summary_shown_ms=${shownMs} long_tasks=${tasks.length} longest_task_ms=${max.toFixed(0)} ` +
      `long_tasks=[${tasks.map(([t, d]) => `${d.toFixed(0)}ms@${((t - shownAt) / 1000).toFixed(1)}s`).join(',')}] ` +
      '(@: start, seconds from the summary showing)',
  );
  if (page.problems.length) console.log(`problems: ${page.problems.join('; ')}`);
} finally {
  await browser.close();
  await standin.stop();
}
