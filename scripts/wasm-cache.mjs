// Benchmark aid (not a test): what Chromium's wasm code cache does for a returning visitor.
// Two visits of one view in one persistent profile (Playwright's usual contexts are off the
// record and keep no code cache). Between them the app's answer cache (Cache API) is cleared,
// so that the second visit fetches and analyses as the first did; the HTTP cache is kept, and
// the stand-in serves the app's content-named files as immutable, as a production host would.
// For each visit: whether the wasm came from the HTTP cache, whether V8 stored or reused its
// compiled code, the functions compiled on first call (on the main thread) and those
// optimized again as they got hot (on other threads, beside the page's work).
// Usage: node scripts/wasm-cache.mjs [large-entity|kp-2025-06]   (after scripts/build.sh)
//   NO_PRELOAD=1: a copy of the build without the wasm's <link rel=preload>.
import { join } from 'node:path';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DIST, PAGE_SCENARIOS, ROOT, startStandin } from '../e2e/harness.mjs';

const name = process.argv[2] ?? 'large-entity';
const { view } = PAGE_SCENARIOS[name] ?? process.exit(2);
const scratch = mkdtempSync(join(tmpdir(), 'outage-lens-wasm-cache-'));
let app = DIST;
if (process.env.NO_PRELOAD === '1') {
  app = join(scratch, 'app');
  cpSync(DIST, app, { recursive: true });
  const html = readFileSync(join(app, 'index.html'), 'utf8');
  const stripped = html.replace(/<link [^>]*rel=preload[^>]*type=application\/wasm>/, '');
  if (stripped === html) throw new Error('no preload link for the wasm in index.html');
  writeFileSync(join(app, 'index.html'), stripped);
}
const standin = await startStandin({ data: join(ROOT, 'target', 'scenarios', name), args: ['--app', app] });
const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: CHROMIUM_ARGS,
  viewport: { width: 1280, height: 900 },
  timezoneId: 'UTC',
});

async function visit(n) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'v8.wasm', transferMode: 'ReportEvents' });
  const t0 = Date.now();
  await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
  await page.locator('[data-testid=summary]').waitFor({ timeout: 600_000 });
  const shownMs = Date.now() - t0;
  await page.waitForFunction(() => !document.querySelector('[data-testid^="source-"][data-state="loading"]'), null, { timeout: 600_000 });
  // V8 stores a module's code a while after enough of it is optimized.
  await page.waitForTimeout(5000);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm')));
  await cdp.send('Tracing.end');
  await complete;
  const of = (n) => events.filter((e) => e.name === n);
  const ms = (list, key) => (list.reduce((s, e) => s + (e[key] ?? 0), 0) / 1000).toFixed(0);
  const [lazy, top] = [of('wasm.CompileLazy'), of('wasm.TopTierCompilation')];
  console.log(
    `visit=${n} summary_shown_ms=${shownMs} wasm_from_http_cache=${wasm?.transferSize === 0 ? 'yes' : 'no'} ` +
      `code_stored=${of('wasm.SerializeModule').length > 0 ? 'yes' : 'no'} code_reused=${of('wasm.Deserialize').length > 0 ? 'yes' : 'no'} ` +
      `compiled_on_first_call=${lazy.length} (${ms(lazy, 'tdur')} ms cpu) optimized=${top.length} (${ms(top, 'tdur')} ms cpu)`,
  );
  await cdp.send('Storage.clearDataForOrigin', { origin: standin.url, storageTypes: 'cache_storage' });
  await page.close();
}

try {
  await visit(1);
  await visit(2);
} finally {
  await context.close();
  await standin.stop();
  rmSync(scratch, { recursive: true, force: true });
}
