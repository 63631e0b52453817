// Helpers for the end-to-end tests: the API stand-in as a child process, Debian's Chromium
// through playwright-core, pages that record every console error / page error / CSP
// violation, and screenshots under e2e/out/.
//
// The caller builds everything first (see e2e/README.md); this file only checks that the
// pieces exist and says which command makes a missing one.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIO = 'kp-2025-06';
export const SCENARIO_DIR = join(ROOT, 'target', 'scenarios', SCENARIO);
/** The views the page benchmarks load (`scripts/bench-page.mjs`, `scripts/wasm-cache.mjs`). */
export const PAGE_SCENARIOS = {
  'large-entity': { asn: 64500, view: 'asn=64500&from=2025-06-07T00:00Z&until=2025-06-08T00:00Z' },
  'kp-2025-06': { asn: 131279, view: 'asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z' },
};
export const STANDIN = process.env.OUTAGE_LENS_STANDIN ?? join(ROOT, 'target', 'debug', 'standin');
// OUTAGE_LENS_DIST: another build to serve (scripts/profile-build.sh's, for profiles).
export const DIST = process.env.OUTAGE_LENS_DIST ?? join(ROOT, 'dist');
export const OUT = join(ROOT, 'e2e', 'out');
export const CHROMIUM = '/usr/bin/chromium';

/** Per-wait budget: the app answers in well under a second against the stand-in. */
export const WAIT_MS = 5_000;
const STANDIN_START_MS = 10_000;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Each new context is a new window, for which this Chromium loads its WebUI omnibox popup
  // in a renderer of its own: ~60 ms of CPU just as the page under test starts, which on two
  // cores made the page's main thread wait for a core (long tasks). A user's browser does it
  // once per window, not once per page load.
  '--disable-features=WebUIOmniboxPopup',
  // JS_FLAGS: V8 flags for an experiment (scripts/bench-page.mjs), e.g. --no-wasm-lazy-compilation.
  ...(process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : []),
];

/** Fails with the command to run when a prerequisite is missing. */
export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(join(DIST, 'index.html'))) {
    missing.push(
      `the release build (${DIST}/index.html): run \`cd ${ROOT} && bash scripts/trunk-release.sh\``,
    );
  }
  if (!existsSync(join(SCENARIO_DIR, 'scenario.json'))) {
    missing.push(
      `the synthetic scenario (${SCENARIO_DIR}/scenario.json): run \`cd ${ROOT} && cargo run -q -p outage-lens-scenario --bin gen-scenario -- ${SCENARIO} target/scenarios/${SCENARIO}\``,
    );
  }
  if (!existsSync(STANDIN)) {
    missing.push(`the API stand-in (${STANDIN}): run \`cd ${ROOT} && cargo build -q -p outage-lens-standin\``);
  }
  if (!existsSync(CHROMIUM)) {
    missing.push(`Chromium (${CHROMIUM}): run \`apt-get install -y chromium\` (never \`playwright install\`)`);
  }
  if (missing.length) {
    throw new Error(`End-to-end prerequisites missing:\n  - ${missing.join('\n  - ')}`);
  }
}

/**
 * The scenario manifest and its ground truth (Unix seconds). The generator writes the truth
 * under `truth`; `ground_truth` is accepted too.
 */
export function loadManifest() {
  const manifest = JSON.parse(readFileSync(join(SCENARIO_DIR, 'scenario.json'), 'utf8'));
  const truth = manifest.ground_truth ?? manifest.truth;
  assert.ok(
    truth && Number.isInteger(truth.all_withdrawn) && Number.isInteger(truth.all_restored),
    `${SCENARIO_DIR}/scenario.json has no ground truth with all_withdrawn/all_restored (Unix seconds)`,
  );
  return { manifest, truth };
}

/**
 * Starts `standin --addr 127.0.0.1:0` (on `data`, with extra `args`, e.g.
 * `['--fault', 'hang@/v2/', '--timeout', '1']`; an array alone is taken as `args`) and resolves
 * once it prints its `listening on` line.
 * Returns `{ url, stop }`; `stop()` kills that child and waits for it to exit.
 */
export async function startStandin(opts = {}) {
  const { data = SCENARIO_DIR, args = [] } = Array.isArray(opts) ? { args: opts } : opts;
  const child = spawn(
    STANDIN,
    ['--data', data, '--app', DIST, '--addr', '127.0.0.1:0', '--quiet', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  let timer;
  try {
    const url = await Promise.race([
      new Promise((res) => {
        lines.on('line', (line) => {
          const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(line);
          if (m) res(m[1]);
        });
      }),
      exited.then(({ code, signal }) => {
        throw new Error(`standin exited before listening (code ${code}, signal ${signal}): ${stderr}`);
      }),
      new Promise((_, rej) => {
        timer = setTimeout(
          () => rej(new Error(`standin printed no "listening on" line within ${STANDIN_START_MS} ms: ${stderr}`)),
          STANDIN_START_MS,
        );
      }),
    ]);
    return {
      url,
      stderr: () => stderr,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (e) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export function launchBrowser(executablePath = CHROMIUM) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 15_000 });
}

/** A fresh context (own storage, clipboard permissions if asked) with short timeouts. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    locale: 'en-GB',
    timezoneId: 'UTC',
    ...options,
  });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  // CSP violations also reach the console, but say so explicitly in case they do not.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  return context;
}

/**
 * A page in `context` that records problems in `page.problems`: console errors, warnings the
 * app logs when it cannot do its job, uncaught page errors (a Rust panic surfaces as both),
 * failed requests to the stand-in.
 */
export async function openPage(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error') page.problems.push(`console error: ${text}`);
    else if (msg.type() === 'warning' && /panicked|could not be drawn|could not update the address bar/i.test(text)) {
      page.problems.push(`console warning: ${text}`);
    }
  });
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // Aborts of superseded fetches (a new range aborts what is in flight) are by design.
    const why = req.failure()?.errorText ?? '';
    if (!/ERR_ABORTED/.test(why)) page.problems.push(`request failed: ${req.url()} ${why}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) page.problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  if (url) await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Fails when the page recorded any problem or shows the panic banner. */
export async function assertHealthy(page) {
  const fatal = await page.evaluate(() => {
    const el = document.getElementById('fatal');
    return el && !el.hidden ? el.textContent : null;
  });
  assert.equal(fatal, null, `the app shows its fatal-error banner: ${fatal}`);
  assert.deepEqual(page.problems, [], `the page logged problems:\n${page.problems.join('\n')}`);
}

/** Empties e2e/out/ so that it only holds this run's screenshots. */
export function cleanOut() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}

/**
 * Saves `e2e/out/<name>.png`, the whole page by default. Note: a full-page capture resizes
 * the viewport, which makes the app redraw its charts; pass `{ fullPage: false }` to keep
 * exactly what is on screen.
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** `2025-06-06T12:00Z` → Unix seconds. */
export function unix(iso) {
  const ms = Date.parse(iso.replace(/Z$/, ':00Z'));
  assert.ok(Number.isFinite(ms), `bad time ${iso}`);
  return ms / 1000;
}

/** Every "YYYY-MM-DD HH:MM[:SS] UTC" in `text`, as Unix seconds, in order. */
export function utcTimesIn(text) {
  return [...text.matchAll(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?) UTC/g)].map(
    (m) => Date.parse(`${m[1]}T${m[2].length === 5 ? `${m[2]}:00` : m[2]}Z`) / 1000,
  );
}

/** Query parameters of the page's current URL. */
export function query(page) {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

/** Chart geometry from src/ui/charts/mod.rs. */
export const Y_LABEL_WIDTH = 56;
export const MARGIN_RIGHT = 16;

/** The source rows of an ASN view, by test id. */
export const SOURCES = [
  'source-ripestat-bgplay',
  'source-ripestat-ris-peer-count',
  'source-ripestat-ris-peers',
  'source-ripestat-asn-neighbours',
  'source-ioda-signals',
  'source-ioda-outage-events',
];

/** Resolves once every source row of an ASN view reads `ready`. */
export function waitForSourcesReady(page) {
  return page.waitForFunction(
    (ids) => ids.every((id) => document.querySelector(`[data-testid=${id}]`)?.dataset.state === 'ready'),
    SOURCES,
  );
}

/**
 * Runs one journey in its own browser context on the stand-in at `baseUrl`, then saves a
 * screenshot of the page the journey returns (also on failure, as `<name>-failed`) and checks
 * that no page it opened logged a panic, page error, CSP violation or failed request.
 * `body` gets `{ context, open }`; `open(path, ctx)` opens `baseUrl + path` (a blank page
 * without a path) in `ctx`, this journey's context by default.
 */
export async function runJourney(browser, baseUrl, name, contextOptions, body, shot = {}) {
  const context = await newContext(browser, contextOptions);
  const pages = [];
  const open = async (path, ctx = context) => {
    const page = await openPage(ctx, path === undefined ? undefined : baseUrl + path);
    pages.push(page);
    return page;
  };
  let shown;
  try {
    shown = await body({ context, open });
  } catch (e) {
    // A panic often shows up as a timeout: say what the pages logged.
    const logged = pages.flatMap((p) => p.problems);
    if (logged.length && e instanceof Error) e.message += `\nThe page logged:\n${logged.join('\n')}`;
    if (pages.length) await screenshot(pages.at(-1), `${name}-failed`).catch(() => {});
    await context.close();
    throw e;
  }
  try {
    await screenshot(shown ?? pages.at(-1), name, shot);
    for (const page of pages) await assertHealthy(page);
  } finally {
    await context.close();
  }
}
