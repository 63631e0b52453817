// Fan-out: a country of several networks over a long window makes more than 8 RIPEstat
// requests (batches of ASNs × time chunks, plus the peer lists); the page must finish with
// the right data while never running more than 8 of them at once (issue #5). The stand-in
// serves the SYNTHETIC xz-country scenario (XZ is no real country) with 400 ms added to each
// RIPEstat answer so that requests overlap, and counts how many are in flight at once.
//
// Chromium itself runs at most 6 HTTP/1.1 connections per host, which would hide a broken
// limiter. So RIPEstat requests are routed through the test (Playwright's interception sits
// before Chromium's connection pool) and forwarded to the stand-in by Node, which has no such
// cap; a control step first proves that this path lets more than 8 requests overlap.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  assertHealthy,
  checkPrerequisites,
  launchBrowser,
  newContext,
  openPage,
  screenshot,
  startStandin,
  unix,
  utcTimesIn,
} from './harness.mjs';

const COUNTRY_DIR = join(ROOT, 'target', 'scenarios', 'xz-country');
const LIMIT = 8;
const LATENCY_MS = 400;
/** Four days: with the day of baseline before it, three bgplay chunks of at most two days. */
const VIEW = '/?country=XZ&from=2025-06-05T00:00Z&until=2025-06-09T00:00Z';
const TOLERANCE_SECS = 5 * 60;
/** Each wait: the page fetches ~14 requests at 400 ms, 8 at a time, and parses them. */
const WAIT_MS = 30_000;

let standin;
let browser;
let members;

before(async () => {
  checkPrerequisites();
  if (!existsSync(join(COUNTRY_DIR, 'scenario.json'))) {
    throw new Error(
      `the synthetic country (${COUNTRY_DIR}): run \`cd ${ROOT} && cargo run -q --release -p outage-lens-scenario --bin gen-scenario -- xz-country target/scenarios/xz-country\``,
    );
  }
  ({ members } = JSON.parse(readFileSync(join(COUNTRY_DIR, 'scenario.json'), 'utf8')));
  standin = await startStandin({ data: COUNTRY_DIR, args: ['--latency-ms', String(LATENCY_MS)] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await standin?.stop();
});

async function stats(reset = false) {
  const res = await fetch(`${standin.url}/__standin/stats${reset ? '?reset=1' : ''}`);
  assert.equal(res.status, 200);
  return res.json();
}

/** Forwards the page's RIPEstat requests to the stand-in from Node; records their URLs. */
async function routeRipestat(context) {
  const seen = [];
  await context.route('**/data/**', async (route) => {
    seen.push(route.request().url());
    try {
      const res = await fetch(route.request().url());
      const headers = Object.fromEntries(res.headers);
      await route.fulfill({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) });
    } catch {
      await route.abort('failed').catch(() => {});
    }
  });
  return seen;
}

test('control: requests routed through the test can overlap beyond 8', async () => {
  const context = await newContext(browser);
  try {
    await routeRipestat(context);
    const page = await openPage(context, `${standin.url}/config.json`);
    await stats(true);
    const statuses = await page.evaluate(async (n) => {
      const urls = Array.from({ length: n }, (_, i) => `/data/ris-peers/data.json?control=${i}`);
      return Promise.all(urls.map((u) => fetch(u).then((r) => r.status)));
    }, 12);
    assert.deepEqual(statuses, Array(12).fill(200));
    const s = await stats();
    assert.equal(s.ripestat_requests, 12);
    assert.ok(s.ripestat_peak > LIMIT, `only ${s.ripestat_peak} overlapped: the cap could not be observed`);
  } finally {
    await context.close();
  }
});

test('y. a country over four days: the union of its networks, more than 8 requests, never more than 8 at once', async () => {
  const context = await newContext(browser);
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  let page;
  try {
    const seen = await routeRipestat(context);
    await stats(true);
    page = await openPage(context, standin.url + VIEW);
    const summary = page.locator('[data-testid=summary]');
    await summary.waitFor();
    await page.waitForFunction(() =>
      ['source-ripestat-bgplay', 'source-ripestat-country-resource-list', 'source-ripestat-visibility'].every(
        (id) => document.querySelector(`[data-testid=${id}]`)?.dataset.state === 'ready',
      ),
    );

    // More than 8 RIPEstat requests, never more than 8 at once (seen by the stand-in).
    const s = await stats();
    const bgplay = seen.filter((u) => u.includes('/data/bgplay/'));
    assert.ok(s.ripestat_requests > LIMIT, `only ${s.ripestat_requests} RIPEstat requests`);
    assert.ok(s.ripestat_peak <= LIMIT, `${s.ripestat_peak} RIPEstat requests ran at once`);
    assert.ok(s.ripestat_peak >= 2, 'requests should overlap');
    // Three batches of ASNs (9 networks, 4 per request) × three time chunks, each asked once.
    assert.equal(bgplay.length, 9, bgplay.join('\n'));
    assert.equal(new Set(bgplay).size, 9);
    const resources = new Set(bgplay.map((u) => new URL(u).searchParams.get('resource')));
    assert.equal(resources.size, 3);
    const asked = [...resources].flatMap((r) => r.split(','));
    assert.deepEqual(asked.sort(), members.map((m) => `AS${m.asn}`).sort());
    const starts = new Set(bgplay.map((u) => Number(new URL(u).searchParams.get('starttime'))));
    assert.equal(starts.size, 3);
    assert.equal(Math.min(...starts), unix('2025-06-04T00:00Z'), 'the baseline day is fetched');

    // The right data: every network's prefixes, and the country's outage where the files put it.
    const row = await page.locator('[data-testid=source-ripestat-bgplay]').innerText();
    assert.match(row, new RegExp(`\\b${members.length * 2} prefixes\\b`), row);
    assert.match(row, /9 bgplay requests: 9 ASNs in 3 batches × 3 time chunks/, row);
    const list = await page.locator('[data-testid=source-ripestat-country-resource-list]').innerText();
    assert.match(list, new RegExp(`\\b${members.length} AS numbers\\b`), list);
    const text = await summary.innerText();
    const line = text.split('\n').find((l) => l.startsWith('BGP outage of country XZ'));
    assert.ok(line, `no outage sentence for the country:\n${text}`);
    const [start, end] = utcTimesIn(line);
    const lost = members.filter((m) => m.all_withdrawn !== null);
    assert.ok(lost.length > members.length / 2, 'most networks lose their links');
    const within = (t, key) =>
      t >= Math.min(...lost.map((m) => m[key])) - TOLERANCE_SECS &&
      t <= Math.max(...lost.map((m) => m[key])) + TOLERANCE_SECS;
    assert.ok(within(start, 'all_withdrawn'), `start ${new Date(start * 1000).toISOString()}`);
    assert.ok(within(end, 'all_restored'), `end ${new Date(end * 1000).toISOString()}`);
    // The cross-check: the replay of the merged chunks against the stand-in's own visibility
    // (derived independently from its files) at 3 dump times × 2 prefixes.
    const check = await page.locator('[data-testid=source-ripestat-visibility]').innerText();
    assert.match(check, /agrees with RIPEstat's own visibility at 6 of 6 dump-time checks/, check);
    assert.equal(seen.filter((u) => u.includes('/data/visibility/')).length, 6);
    assert.match(check, /198\.18\.0\.0\/24 at 2025-06-07 00:00 UTC: RIPEstat sees it from 0 of 331 full-table peers/, check);
    assert.match(await page.locator('body').innerText(), /synthetic/i);
    await screenshot(page, 'y-fanout-country');
    await assertHealthy(page);
  } catch (e) {
    if (page) await screenshot(page, 'y-fanout-country-failed').catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
});
