// Resilience journeys: faults injected by the API stand-in itself (`--fault`, see
// tools/standin/README.md), each journey with its own stand-in. Run: `node --test e2e/`
// (prerequisites: e2e/README.md).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  assertHealthy,
  checkPrerequisites,
  launchBrowser,
  loadManifest,
  newContext,
  openPage,
  screenshot,
  SOURCES,
  startStandin,
  unix,
  waitForSourcesReady,
} from './harness.mjs';

const OUTAGE_QUERY = '?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z';
/** Timeout 1 s, 4 attempts, backoff of at most 1 + 2 + 4 s: under 12 s; bounded well above. */
const GIVE_UP_MS = 30_000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let browser;
let truth;

before(async () => {
  checkPrerequisites();
  ({ truth } = loadManifest());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * One journey against its own stand-in started with `standinArgs`: screenshot of the page the
 * body returns (or `<name>-failed`), then the page must have logged no problem the body did
 * not expect (it filters `page.problems` for the faults it injected).
 */
async function journey(name, standinArgs, body) {
  const standin = await startStandin(standinArgs);
  const context = await newContext(browser, { acceptDownloads: true });
  let page;
  try {
    page = await openPage(context);
    const shown = await body({ page, url: standin.url });
    await screenshot(shown ?? page, name);
    await assertHealthy(page);
  } catch (e) {
    if (page && e instanceof Error && page.problems.length) e.message += `\nThe page logged:\n${page.problems.join('\n')}`;
    if (page) await screenshot(page, `${name}-failed`).catch(() => {});
    throw e;
  } finally {
    await context.close();
    await standin.stop();
  }
}

const stateOf = (page, id) => page.locator(`[data-testid=${id}]`).getAttribute('data-state');

function waitForState(page, id, state, timeout = 5_000) {
  return page.waitForFunction(
    ([id, state]) => document.querySelector(`[data-testid=${id}]`)?.dataset.state === state,
    [id, state],
    { timeout },
  );
}

/** URLs of the requests the page made whose URL contains `part`, in order. */
function recordRequests(page, part) {
  const seen = [];
  page.on('request', (r) => {
    if (r.url().includes(part)) seen.push(r.url());
  });
  return seen;
}

test('v. a source that never answers times out, says so, and Retry recovers it; the rest renders', async () => {
  // asn-neighbours hangs for its first 4 requests (every attempt of the first load); IODA's
  // events drop the connection once (retried at once by the backoff, then answered).
  const args = ['--timeout', '1', '--fault', 'hangx4@/data/asn-neighbours/', '--fault', 'dropx1@/v2/outages/events'];
  await journey('v-timeout', args, async ({ page, url }) => {
    const neighbours = recordRequests(page, '/data/asn-neighbours/');
    const events = recordRequests(page, '/v2/outages/events');
    await page.goto(url + `/${OUTAGE_QUERY}`, { waitUntil: 'load' });
    // Everything else renders while asn-neighbours is still waiting.
    await page.locator('[data-testid=summary]').waitFor();
    assert.match(await page.locator('[data-testid=summary]').innerText(), /BGP outage of AS131279/);
    await page.locator('[data-testid=graph]').waitFor();
    await page.locator('[data-testid=ioda-text]').waitFor();
    for (const id of SOURCES.filter((s) => s !== 'source-ripestat-asn-neighbours')) {
      await waitForState(page, id, 'ready');
    }
    assert.equal(await stateOf(page, 'source-ripestat-asn-neighbours'), 'loading');
    assert.equal(events.length, 2, 'the dropped connection was retried once');

    // After the timeout and every retry, the row says in plain words that it timed out.
    await waitForState(page, 'source-ripestat-asn-neighbours', 'failed', GIVE_UP_MS);
    const row = page.locator('[data-testid=source-ripestat-asn-neighbours]');
    assert.match(await row.innerText(), /timed out: no answer within 1 s, even after retries/);
    assert.equal(neighbours.length, 4, 'bounded: 4 attempts');
    assert.equal(await page.locator('[data-testid=panel-error]').count(), 0, 'no panel lost its content');

    // Retry: the stand-in answers the fifth request.
    await row.getByRole('button', { name: 'Retry' }).click();
    await waitForState(page, 'source-ripestat-asn-neighbours', 'ready');
    assert.equal(neighbours.length, 5);
    assert.match(await row.innerText(), /upstream neighbours: AS\d+/);
    // The hung attempts end as aborted or timed-out requests, the dropped one as a failure.
    page.problems = page.problems.filter((p) => !/asn-neighbours|outages\/events|ERR_EMPTY_RESPONSE|ERR_CONNECTION/.test(p));
    return page;
  });
});

// View A (North Korea as a country, the outage day) answers late; the user moves to view B
// (AS131279, a quiet morning) first. IODA names the entity in its answers, so A's data shown
// under B would be visible.
const A = { query: '?country=KP&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z', from: '2025-06-06T12:00Z' };
const B = { entity: 'AS131279', from: '2025-06-06T06:00Z', until: '2025-06-06T15:00Z' };
const B_TITLE = 'AS131279 · 2025-06-06 06:00 UTC → 2025-06-06 15:00 UTC';

test('w. changing the view aborts its requests; a late answer never overwrites the newer view', async () => {
  // Every request of view A carries `=<A's from>&` (IODA from, ris-peers query_time) or
  // `=<A's from - 1 day>&` (ris-peer-count starttime); B's never do.
  const aFrom = unix(A.from);
  const marks = [`=${aFrom}&`, `=${aFrom - 86_400}&`];
  const args = ['--fault', `delay=4000@${marks.join('|')}`];
  await journey('w-late-answer', args, async ({ page, url }) => {
    const isA = (u) => marks.some((m) => u.includes(m));
    const aRequests = new Map();
    let firstB = null;
    let wake = () => {};
    const settle = (r, outcome) => {
      if (aRequests.has(r)) aRequests.set(r, outcome);
      wake();
    };
    page.on('request', (r) => {
      if (isA(r.url())) aRequests.set(r, 'pending');
      else if (firstB === null && /\/data\/|\/v2\//.test(r.url())) firstB = [...aRequests.values()];
    });
    page.on('requestfailed', (r) => settle(r, `failed ${r.failure()?.errorText}`));
    page.on('requestfinished', (r) => settle(r, 'finished'));
    // Every text the title and the IODA panel ever show, to catch even a brief wrong one.
    await page.addInitScript(() => {
      window.__shown = new Set();
      new MutationObserver(() => {
        for (const id of ['title', 'ioda-text', 'source-ioda-signals', 'source-ripestat-ris-peers', 'panel-error']) {
          for (const el of document.querySelectorAll(`[data-testid=${id}]`)) window.__shown.add(`${id}: ${el.textContent}`);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const firstA = page.waitForRequest((r) => isA(r.url()));
    await page.goto(url + `/${A.query}`, { waitUntil: 'load' });
    await firstA;
    assert.equal(await page.locator('[data-testid=ioda-text]').count(), 0, "A's data has not come yet");
    await page.waitForFunction(() => [...window.__shown].some((t) => t.startsWith('title: country KP')));
    // From here on, record only what is shown after the switch.
    await page.evaluate(() => window.__shown.clear());

    // Move to B before A answers: another entity and range in one step.
    await page.locator('[data-testid=entity]').fill(B.entity);
    await page.locator('[data-testid=from]').fill(B.from.replace('Z', ''));
    await page.locator('[data-testid=until]').fill(B.until.replace('Z', ''));
    await page.locator('[data-testid=apply]').click();
    await page.waitForFunction((t) => document.querySelector('[data-testid=title]')?.textContent === t, B_TITLE);
    await waitForSourcesReady(page);
    const summary = await page.locator('[data-testid=summary]').innerText();
    assert.match(summary, /No BGP outage of AS131279 between 2025-06-06 06:00 UTC and 2025-06-06 15:00 UTC/);
    const iodaText = await page.locator('[data-testid=ioda-text]').innerText();
    assert.match(iodaText, /^IODA series for AS131279/);

    // Every request of A has ended (bounded), aborted when the view changed.
    const deadline = Date.now() + 10_000;
    while ([...aRequests.values()].includes('pending')) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `A's requests never ended: ${[...aRequests.values()]}`);
      await new Promise((res) => {
        wake = res;
        setTimeout(res, Math.min(left, 500));
      });
    }
    const outcomes = [...aRequests.values()];
    assert.ok(outcomes.length >= 3, `A's requests were made: ${outcomes}`);
    assert.deepEqual([...new Set(outcomes)], ['failed net::ERR_ABORTED'], "A's requests are aborted, not awaited");
    assert.ok(firstB !== null, 'B made requests');
    // B did not wait for A's (4 s late) answers: its first request came once A's were aborted.
    assert.ok(firstB.every((o) => o !== 'finished'), `B's requests waited for A's answers: ${firstB}`);

    // B is what the page shows, and all it ever showed after the switch: never A's entity.
    assert.equal(await page.locator('[data-testid=title]').innerText(), B_TITLE);
    assert.equal(await page.locator('[data-testid=summary]').innerText(), summary);
    assert.equal(await page.locator('[data-testid=ioda-text]').innerText(), iodaText);
    const shown = await page.evaluate(() => [...window.__shown]);
    assert.ok(shown.some((t) => t.startsWith(`title: ${B_TITLE}`)), `${shown}`);
    assert.deepEqual(shown.filter((t) => /North Korea/.test(t)), [], "A's data never appeared");
    // The cancelled requests were never reported, not even briefly, as a failure or as "no
    // data". (A's own panels may stay on screen while B loads: Transition keeps old content.)
    assert.deepEqual(shown.filter((t) => /cancelled|no data|could not|timed out/.test(t)), []);
    for (const id of SOURCES) assert.equal(await stateOf(page, id), 'ready', id);
    return page;
  });
});

test('x. Export CSV: UTC times, a header with source, window and rule, partial data marked', async () => {
  // ris-peers refuses (404, final) so the analysis falls back; IODA signals answer 200 with
  // empty data.
  const args = ['--fault', 'status=404@/data/ris-peers/', '--fault', 'empty@/v2/signals/'];
  await journey('x-export', args, async ({ page, url }) => {
    await page.goto(url + `/${OUTAGE_QUERY}`, { waitUntil: 'load' });
    await page.locator('[data-testid=summary]').waitFor();
    await waitForState(page, 'source-ripestat-ris-peers', 'failed');
    await waitForState(page, 'source-ioda-signals', 'failed');
    await waitForState(page, 'source-ioda-outage-events', 'ready');
    // The chart says it is partial (its text alternative; the canvas title says PARTIAL).
    assert.match(await page.locator('[data-testid=bgp-text]').innerText(), /Partial data: no RIS peer list/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export]').click()]);
    assert.equal(download.suggestedFilename(), 'outage-lens-AS131279-2025-06-06T1200Z-2025-06-07T1200Z.csv');
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trimEnd().split('\n');
    const header = lines.filter((l) => l.startsWith('# '));
    assert.ok(header.includes('# entity: AS131279'), header.join('\n'));
    assert.ok(header.includes('# window: 2025-06-06T12:00:00Z/2025-06-07T12:00:00Z (UTC)'));
    assert.ok(header.some((l) => /^# sources: RIPEstat bgplay.*IODA/.test(l)));
    assert.ok(header.some((l) => /^# rule: a \/24 is visible when more than half/.test(l)));
    assert.ok(header.some((l) => /SYNTHETIC/.test(l)), 'the scenario says it is synthetic');
    assert.ok(header.some((l) => /^# partial: BGP series and events: no RIS peer list/.test(l)));
    assert.ok(header.some((l) => /^# partial: RIPEstat ris-peers: HTTP 404/.test(l)));
    assert.ok(header.includes('# partial: IODA signals: no data for this entity and window'));
    const columns = 'section,series,time_utc,end_utc,value,partial';
    const rows = lines.slice(lines.indexOf(columns) + 1).map((l) => l.split(','));
    assert.ok(rows.length > 289 * 3, `${rows.length} rows`);
    for (const r of rows) {
      assert.match(r[2], ISO_UTC, r.join(','));
      if (r[3]) assert.match(r[3], ISO_UTC, r.join(','));
      // Every computed row carries the fallback as its partial reason.
      if (r[0].startsWith('bgp-')) assert.match(r[5], /no RIS peer list|^no data/, r.join(','));
    }
    assert.equal(rows.filter((r) => r[0] === 'ioda-signal').length, 0, 'no IODA rows drawn from "no data"');
    const visible = rows.filter((r) => r[0] === 'bgp-visible');
    assert.equal(Date.parse(visible[0][2]) / 1000, unix('2025-06-06T12:00Z'));
    // The detected outage starts within 5 minutes of the generated truth; IODA's event is there.
    const outage = rows.find((r) => r[0] === 'bgp-event' && r[1].startsWith('entity critical'));
    assert.ok(outage, 'the outage row');
    assert.ok(Math.abs(Date.parse(outage[2]) / 1000 - truth.all_withdrawn) <= 300, outage.join(','));
    assert.ok(rows.some((r) => r[0] === 'ioda-event'));
    page.problems = page.problems.filter((p) => !/ris-peers|status of 404/.test(p));
    return page;
  });
});

/** The page's own resource timings of API requests (a worker's requests are not the page's). */
const pageApiRequests = (page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/data\/|\/v2\//.test(n)));

async function allReady(page) {
  await page.locator('[data-testid=summary]').waitFor();
  await waitForSourcesReady(page);
}

test('y. the fetch worker makes the requests, keeps to the configured hosts, and is not needed', async () => {
  await journey('y-fetch-worker', [], async ({ page, url }) => {
    await page.goto(url + `/${OUTAGE_QUERY}`, { waitUntil: 'load' });
    await allReady(page);
    assert.match(await page.locator('[data-testid=summary]').innerText(), /AS131279/);
    // Every API answer came through the worker: none is in the page's own timeline.
    assert.deepEqual(await pageApiRequests(page), []);
    const workers = page.workers().filter((w) => w.url().endsWith('/fetch-worker.js'));
    assert.equal(workers.length, 1, `${page.workers().map((w) => w.url())}`);
    const fetched = await workers[0].evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(fetched.some((n) => n.includes('/data/bgplay/')), `${fetched}`);
    assert.ok(fetched.some((n) => n.includes('/v2/signals/')), `${fetched}`);

    // A host that config.json does not name is refused before any request, as the page's CSP
    // connect-src would refuse it.
    const other = 'http://127.0.0.2:9/data/bgplay/data.json';
    const tried = [];
    page.on('request', (r) => {
      if (r.url().startsWith('http://127.0.0.2')) tried.push(r.url());
    });
    const answer = await workers[0].evaluate(
      (u) =>
        new Promise((resolve) => {
          const post = self.postMessage;
          self.postMessage = (m, transfer) => {
            if (m.id !== -1) return post.call(self, m, transfer);
            self.postMessage = post;
            resolve(m);
          };
          self.onmessage({ data: { id: -1, url: u } });
        }),
      other,
    );
    assert.equal(answer.error?.name, 'SecurityError', JSON.stringify(answer));
    assert.deepEqual(tried, []);
    return page;
  });
  // Without the worker's script the page makes its requests itself, and shows the same view.
  await journey('y-no-worker', [], async ({ page, url }) => {
    await page.route('**/fetch-worker.js', (r) => r.fulfill({ status: 404, body: '' }));
    await page.goto(url + `/${OUTAGE_QUERY}`, { waitUntil: 'load' });
    await allReady(page);
    assert.match(await page.locator('[data-testid=summary]').innerText(), /AS131279/);
    const own = await pageApiRequests(page);
    assert.ok(own.some((n) => n.includes('/data/bgplay/')), `${own}`);
    page.problems = page.problems.filter((p) => !/fetch-worker\.js/.test(p));
    return page;
  });
});
