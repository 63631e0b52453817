// End-to-end journeys of Outage Lens against the API stand-in serving the synthetic
// kp-2025-06 scenario. Run: `node --test e2e/` (prerequisites: e2e/README.md).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertHealthy,
  checkPrerequisites,
  cleanOut,
  launchBrowser,
  loadManifest,
  MARGIN_RIGHT,
  newContext,
  openPage,
  query,
  runJourney,
  screenshot,
  startStandin,
  unix,
  utcTimesIn,
  waitForSourcesReady,
  Y_LABEL_WIDTH,
} from './harness.mjs';

const OUTAGE_QUERY = '?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z';
const FROM = unix('2025-06-06T12:00Z');
const UNTIL = unix('2025-06-07T12:00Z');
const OUTAGE_TITLE = 'AS131279 · 2025-06-06 12:00 UTC → 2025-06-07 12:00 UTC';
/** Colours from src/ui/colors.rs (Okabe–Ito blue and vermillion: the first two upstreams). */
const UPSTREAM_COLOURS = [
  [0, 114, 178],
  [213, 94, 0],
];
const TOLERANCE_SECS = 5 * 60;

let standin;
let browser;
let truth;

before(async () => {
  checkPrerequisites();
  cleanOut();
  ({ truth } = loadManifest());
  standin = await startStandin();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await standin?.stop();
});


const journey = (name, contextOptions, body) =>
  runJourney(browser, standin.url, name, contextOptions, body);

async function waitForSummary(page) {
  await page.locator('[data-testid=summary]').waitFor();
  return page.locator('[data-testid=summary]').innerText();
}

/** The edges into AS131279 in the graph, once drawn. */
async function edgesIntoEntity(page) {
  await page.locator('[data-testid=graph] path.edge[data-to="AS131279"]').first().waitFor();
  return page.$$eval('[data-testid=graph] path.edge[data-to="AS131279"]', (edges) =>
    edges.map((e) => ({
      from: e.dataset.from,
      peers: Number(e.dataset.peers),
      down: e.classList.contains('down'),
      stroke: e.getAttribute('stroke'),
    })),
  );
}

/** Sets the moment slider to `secs` the way a user's drag does: value, then an input event. */
async function moveSlider(page, secs) {
  await page.locator('[data-testid=moment]').evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, secs);
}

/**
 * Reads a chart canvas: its backing size, how many pixels are not white, how many pixels
 * carry each given colour, and how many pixels of the outage band's grey (an alpha-0.3 or
 * darker wash of #787878 over white or the grid) each column at `times` holds.
 */
function readCanvas(page, testid, { times = [], colours = [] } = {}) {
  return page.locator(`[data-testid=${testid}]`).evaluate(
    (c, { times, colours, from, until, left, right }) => {
      const { width: w, height: h } = c;
      const px = c.getContext('2d').getImageData(0, 0, w, h).data;
      let nonWhite = 0;
      const colourHits = colours.map(() => 0);
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
        if (r < 250 || g < 250 || b < 250) nonWhite++;
        colours.forEach(([cr, cg, cb], k) => {
          if (Math.abs(r - cr) <= 12 && Math.abs(g - cg) <= 12 && Math.abs(b - cb) <= 12) colourHits[k]++;
        });
      }
      const xOf = (t) => Math.round(left + ((w - left - right) * (t - from)) / (until - from));
      const bandPixels = (x) => {
        let n = 0;
        for (let y = 0; y < h; y++) {
          const i = (y * w + x) * 4;
          const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
          const grey = Math.max(r, g, b) - Math.min(r, g, b) <= 3;
          if (grey && r >= 160 && r <= 225) n++;
        }
        return n;
      };
      return {
        width: w,
        height: h,
        clientWidth: c.clientWidth,
        nonWhite,
        colourHits,
        columns: times.map((t) => ({ t, x: xOf(t), band: bandPixels(xOf(t)) })),
      };
    },
    { times, colours, from: FROM, until: UNTIL, left: Y_LABEL_WIDTH, right: MARGIN_RIGHT },
  );
}

test('a. the shared link shows the outage: summary, charts, graph, sources', async () => {
  await journey('a-shared-link', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    const summary = await waitForSummary(page);

    // The summary names start and end within 5 minutes of the ground truth, and a duration.
    const outageLine = summary.split('\n').find((l) => l.startsWith('BGP outage of AS131279'));
    assert.ok(outageLine, `no outage sentence in the summary:\n${summary}`);
    const [start, end] = utcTimesIn(outageLine);
    assert.ok(start !== undefined && end !== undefined, `no start/end UTC times in: ${outageLine}`);
    assert.ok(
      Math.abs(start - truth.all_withdrawn) <= TOLERANCE_SECS,
      `start ${new Date(start * 1000).toISOString()} is not within 5 min of all_withdrawn ${new Date(truth.all_withdrawn * 1000).toISOString()}`,
    );
    assert.ok(
      Math.abs(end - truth.all_restored) <= TOLERANCE_SECS,
      `end ${new Date(end * 1000).toISOString()} is not within 5 min of all_restored ${new Date(truth.all_restored * 1000).toISOString()}`,
    );
    const duration = /, (\d+) h (\d+) min in all/.exec(outageLine);
    assert.ok(duration, `no "H h M min in all" duration in: ${outageLine}`);
    assert.equal(Number(duration[1]) * 3600 + Number(duration[2]) * 60, end - start, 'duration ≠ end − start');
    assert.equal(await page.locator('ul.problems li').count(), 0, 'the app reported URL problems');

    // Every source ends ready; the page says the data is synthetic.
    await waitForSourcesReady(page);
    assert.match(await page.locator('body').innerText(), /synthetic/i);

    // BGP chart: drawn, with the upstream lines, and the outage band shaded.
    const tMid = Math.round((truth.all_withdrawn + truth.all_restored) / 2);
    const tBefore = truth.all_withdrawn - 3600;
    const bgp = await readCanvas(page, 'bgp-chart', { times: [tMid, tBefore], colours: UPSTREAM_COLOURS });
    const pixels = bgp.width * bgp.height;
    assert.ok(bgp.nonWhite > pixels * 0.05, `the BGP chart is (nearly) blank: ${bgp.nonWhite}/${pixels} non-white`);
    assert.ok(
      bgp.colourHits.every((n) => n > 20),
      `the BGP chart lacks a line in an upstream's colour: ${bgp.colourHits}`,
    );
    const [mid, hourBefore] = bgp.columns;
    assert.ok(
      mid.band > bgp.height * 0.25 && hourBefore.band < bgp.height * 0.1,
      `no outage band at x=${mid.x} (${mid.band} band pixels) vs x=${hourBefore.x} an hour before (${hourBefore.band})`,
    );

    // IODA chart: drawn, its ping-slash24 and merit-nt lines in their colours.
    const ioda = await readCanvas(page, 'ioda-chart', {
      colours: [
        [0, 158, 115],
        [204, 121, 167],
      ],
    });
    assert.ok(ioda.nonWhite > ioda.width * ioda.height * 0.05, 'the IODA chart is (nearly) blank');
    assert.ok(ioda.colourHits.every((n) => n > 20), `the IODA chart lacks a signal line: ${ioda.colourHits}`);

    // Graph: China Unicom and TransTelecom both carry edges into the entity, in two colours.
    const edges = await edgesIntoEntity(page);
    const unicom = edges.find((e) => e.from === 'AS4837');
    const ttk = edges.find((e) => e.from === 'AS20485');
    assert.ok(unicom && ttk, `edges into AS131279: ${JSON.stringify(edges)}`);
    assert.match(unicom.stroke, /^#[0-9a-f]{6}$/);
    assert.match(ttk.stroke, /^#[0-9a-f]{6}$/);
    assert.notEqual(unicom.stroke, ttk.stroke, 'both upstreams are drawn in the same colour');
    return page;
  });
});

test('b. the graph follows the chosen moment; moving it replaces the history entry', async () => {
  await journey('b-moment', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}&at=2025-06-06T20:00Z`);
    await waitForSummary(page);
    assert.equal(await page.locator('[data-testid=moment-text]').innerText(), '2025-06-06 20:00 UTC');

    const during = await edgesIntoEntity(page);
    assert.ok(during.length >= 2, `edges into AS131279: ${JSON.stringify(during)}`);
    for (const e of during) {
      assert.equal(e.peers, 0, `${e.from} → AS131279 carries peers during the outage`);
      assert.ok(e.down, `${e.from} → AS131279 is not marked down during the outage`);
    }

    const historyBefore = await page.evaluate(() => history.length);
    const t15 = unix('2025-06-06T15:00Z');
    await moveSlider(page, t15);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=graph] path.edge[data-to="AS131279"]')].every(
        (e) => Number(e.dataset.peers) > 0,
      ),
    );
    const beforeOutage = await edgesIntoEntity(page);
    assert.deepEqual(
      beforeOutage.map((e) => e.from).sort(),
      during.map((e) => e.from).sort(),
      'the set of edges changed with the moment',
    );
    for (const e of beforeOutage) {
      assert.ok(e.peers > 0 && !e.down, `${e.from} → AS131279 at 15:00: ${JSON.stringify(e)}`);
    }
    await page.waitForFunction(() => new URL(location.href).searchParams.get('at') === '2025-06-06T15:00Z');
    assert.deepEqual(query(page), {
      asn: '131279',
      from: '2025-06-06T12:00Z',
      until: '2025-06-07T12:00Z',
      at: '2025-06-06T15:00Z',
    });
    assert.equal(await page.locator('[data-testid=moment-text]').innerText(), '2025-06-06 15:00 UTC');
    assert.equal(await page.evaluate(() => history.length), historyBefore, 'moving the moment pushed a history entry');
    assert.match(await page.locator('[data-testid=graph-text]').innerText(), /^At 2025-06-06 15:00 UTC: [1-9]\d* of /);
    return page;
  });
});

test('c. the range picker pushes history; back restores; an impossible range is refused', async () => {
  await journey('c-range', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    await waitForSummary(page);
    const title = page.locator('[data-testid=title]');
    assert.equal(await title.innerText(), OUTAGE_TITLE);
    assert.equal(await page.locator('[data-testid=from]').inputValue(), '2025-06-06T12:00');
    const historyStart = await page.evaluate(() => history.length);

    await page.locator('[data-testid=from]').fill('2025-06-06T15:00');
    await page.locator('[data-testid=until]').fill('2025-06-07T09:00');
    await page.locator('[data-testid=apply]').click();
    await page.waitForURL((u) => u.searchParams.get('from') === '2025-06-06T15:00Z');
    assert.deepEqual(query(page), { asn: '131279', from: '2025-06-06T15:00Z', until: '2025-06-07T09:00Z' });
    await assert.doesNotReject(
      page.waitForFunction(
        (t) => document.querySelector('[data-testid=title]').textContent === t,
        'AS131279 · 2025-06-06 15:00 UTC → 2025-06-07 09:00 UTC',
      ),
      'the title did not follow the new range',
    );
    assert.equal(await page.evaluate(() => history.length), historyStart + 1, 'a new range must push a history entry');
    assert.equal(await page.locator('[data-testid=range-error]').innerText(), '');
    await waitForSourcesReady(page);

    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('from') === '2025-06-06T12:00Z');
    assert.equal(new URL(page.url()).search, OUTAGE_QUERY);
    await page.waitForFunction((t) => document.querySelector('[data-testid=title]').textContent === t, OUTAGE_TITLE);
    assert.equal(await page.locator('[data-testid=from]').inputValue(), '2025-06-06T12:00');
    assert.equal(await page.locator('[data-testid=until]').inputValue(), '2025-06-07T12:00');
    await waitForSourcesReady(page);

    // Until before from: refused with a reason, nothing else changes.
    const historyBack = await page.evaluate(() => history.length);
    await page.locator('[data-testid=from]').fill('2025-06-07T09:00');
    await page.locator('[data-testid=until]').fill('2025-06-06T15:00');
    await page.locator('[data-testid=apply]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=range-error]').textContent.trim() !== '');
    assert.match(await page.locator('[data-testid=range-error]').innerText(), /must be before the end/);
    assert.equal(new URL(page.url()).search, OUTAGE_QUERY);
    assert.equal(await title.innerText(), OUTAGE_TITLE);
    assert.equal(await page.evaluate(() => history.length), historyBack);
    return page;
  });
});

test('d. copy link: the copied URL opens the same view in a fresh browser context', async () => {
  const origin = standin.url;
  await journey('d-copy-link', {}, async ({ context, open }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const page = await open(`/${OUTAGE_QUERY}`);
      await waitForSummary(page);
      await moveSlider(page, unix('2025-06-06T18:30Z'));
      await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-06T18:30Z');
      await page.evaluate(() => navigator.clipboard.writeText('(nothing copied yet)'));

      await page.locator('[data-testid=copy-link]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]').textContent !== '');
      assert.equal(await page.locator('[data-testid=copy-status]').innerText(), 'Link copied.');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, page.url(), 'the clipboard does not hold the page URL');
      assert.equal(new URL(copied).searchParams.get('at'), '2025-06-06T18:30Z');
      const title = await page.locator('[data-testid=title]').innerText();
      const moment = await page.locator('[data-testid=moment-text]').innerText();
      assert.equal(moment, '2025-06-06 18:30 UTC');

      const fresh = await newContext(browser);
      try {
        const other = await openPage(fresh, copied);
        await waitForSummary(other);
        assert.equal(await other.locator('[data-testid=title]').innerText(), title);
        assert.equal(await other.locator('[data-testid=moment-text]').innerText(), moment);
        assert.equal(other.url(), copied);
        await screenshot(other, 'd-copy-link-opened');
        await assertHealthy(other);
      } finally {
        await fresh.close();
      }
      return page;
  });
});

test('e. the North Korea preset brings back the outage view from another range', async () => {
  await journey('e-preset', {}, async ({ open }) => {
    const page = await open('/?asn=131279&from=2025-06-05T00:00Z&until=2025-06-06T00:00Z');
    const quiet = await waitForSummary(page);
    assert.match(quiet, /^No (critical )?BGP outage of AS131279/, `summary of the quiet day: ${quiet}`);
    const historyStart = await page.evaluate(() => history.length);

    await page.locator('[data-testid=preset-outage]').click();
    await page.waitForURL((u) => u.search === OUTAGE_QUERY);
    await page.waitForFunction((t) => document.querySelector('[data-testid=title]').textContent === t, OUTAGE_TITLE);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=summary]')?.textContent.startsWith('BGP outage of AS131279'),
    );
    const [start, end] = utcTimesIn(await page.locator('[data-testid=summary]').innerText());
    assert.ok(Math.abs(start - truth.all_withdrawn) <= TOLERANCE_SECS, 'outage start after the preset');
    assert.ok(Math.abs(end - truth.all_restored) <= TOLERANCE_SECS, 'outage end after the preset');
    assert.equal(await page.evaluate(() => history.length), historyStart + 1, 'the preset must push a history entry');
    await waitForSourcesReady(page);
    return page;
  });
});

test(
  'f. charts are drawn at their displayed width on first load and redrawn on resize',
  async () => {
    await journey('f-chart-size', {}, async ({ open }) => {
      const page = await open(`/${OUTAGE_QUERY}`);
      await waitForSummary(page);
      await page.locator('[data-testid=ioda-chart]').waitFor();
      // What the user sees before any resize: the chart as first drawn, stretched by CSS.
      await page.locator('[data-testid=bgp-chart]').scrollIntoViewIfNeeded();
      await screenshot(page, 'f-chart-size-first-draw', { fullPage: false });
      const sizes = await page.$$eval('canvas.chart', (cs) =>
        cs.map((c) => ({ id: c.dataset.testid, width: c.width, clientWidth: c.clientWidth })),
      );
      for (const s of sizes) {
        assert.equal(s.width, s.clientWidth, `${s.id}: backing store ${s.width} px, shown ${s.clientWidth} px wide`);
      }
      // Narrower window: the charts follow their new width.
      await page.setViewportSize({ width: 700, height: 900 });
      await page.waitForFunction(() =>
        [...document.querySelectorAll('canvas.chart')].every((c) => c.width === c.clientWidth && c.width < 700),
      );
      return page;
    });
  },
);

test('g. a failing source shows its own error and a retry while the others still show', async () => {
  await journey('g-failed-source', {}, async ({ context, open }) => {
    // IODA's signals answer 400 with IODA's error body (final: not retried) until the route
    // is lifted.
    let failing = true;
    await context.route('**/v2/signals/raw/**', (route) =>
      failing
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({ type: 'error', error: 'backend unavailable (test)', data: null }),
          })
        : route.continue(),
    );
    const page = await open(`/${OUTAGE_QUERY}`);
    const row = page.locator('[data-testid=source-ioda-signals]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=source-ioda-signals]')?.dataset.state === 'failed',
    );
    assert.match(await row.innerText(), /HTTP 400: backend unavailable \(test\)/);
    const panelError = page.locator('[data-testid=panel-error]');
    await panelError.waitFor();
    assert.match(await panelError.innerText(), /^IODA signals unavailable: HTTP 400: backend unavailable \(test\)/);
    // The BGP side is unaffected.
    const summary = await waitForSummary(page);
    assert.match(summary, /^BGP outage of AS131279/);
    await page.locator('[data-testid=graph]').waitFor();
    assert.equal(await page.locator('[data-testid=ioda-chart]').count(), 0);
    await screenshot(page, 'g-failed-source-error');

    // Retry after the API recovers: the chart comes back, the error goes.
    failing = false;
    await row.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-testid=ioda-chart]').waitFor();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=source-ioda-signals]')?.dataset.state === 'ready',
    );
    assert.equal(await panelError.count(), 0);
    // The injected failure is expected; nothing else may have gone wrong.
    page.problems = page.problems.filter((p) => !/signals\/raw|status of 400/.test(p));
    return page;
  });
});

test('h. the evidence names the first link; clicking its time shows that exact moment', async () => {
  await journey('h-evidence', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    const evidence = page.locator('[data-testid=evidence]');
    await evidence.waitFor();
    const first = evidence.locator('li').first();
    assert.match(await first.innerText(), /^The link via AS20485 \(TRANSTELECOM\) went first/);
    const lost = truth.upstreams.find((u) => u.asn === 20485).last_withdrawn;
    const iso = new Date(lost * 1000).toISOString().replace('.000Z', 'Z');
    await first.locator('button.time').first().click();
    await page.waitForURL((u) => new URL(u).searchParams.get('at') === iso);
    // At that second TransTelecom's last route is gone while China Unicom still carries some.
    const peersInto = (from) =>
      page.$$eval(`[data-testid=graph] path.edge[data-from="${from}"][data-to="AS131279"]`, (es) =>
        es.map((e) => Number(e.dataset.peers)),
      );
    await page.waitForFunction(
      () => document.querySelector('[data-testid=moment-text]')?.textContent.length > 0,
    );
    assert.deepEqual(await peersInto('AS20485'), [0]);
    const china = await peersInto('AS4837');
    assert.ok(china.length === 1 && china[0] > 0, `China Unicom edge: ${china}`);
    return page;
  });
});

test('i. server errors are retried with backoff until the source answers', async () => {
  await journey('i-retry', {}, async ({ context, open }) => {
    let hits = 0;
    await context.route('**/v2/outages/events**', (route) => {
      hits += 1;
      return hits <= 2
        ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"busy","data":null}' })
        : route.continue();
    });
    const page = await open(`/${OUTAGE_QUERY}`);
    // Two failures, then success: the row ends ready, never failed.
    await page.waitForFunction(
      () => document.querySelector('[data-testid=source-ioda-outage-events]')?.dataset.state === 'ready',
      null,
      { timeout: 15_000 },
    );
    assert.equal(hits, 3, 'two retries after two 503s');
    assert.match(await page.locator('[data-testid=source-ioda-outage-events]').innerText(), /2 outage event/);
    page.problems = page.problems.filter((p) => !/outages\/events|status of 503/.test(p));
    return page;
  });
});

test('j. answers are cached across views and reloads; Refresh fetches again', async () => {
  await journey('j-cache', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    const bgplay = [];
    page.on('request', (r) => {
      if (r.url().includes('/data/bgplay/')) bgplay.push(r.url());
    });
    await waitForSummary(page);
    // A first load may have started before the listener; count from here.
    bgplay.length = 0;

    // Another window, then back: the outage window's answers come from memory.
    await page.locator('[data-testid=from]').fill('2025-06-07T12:00');
    await page.locator('[data-testid=until]').fill('2025-06-08T00:00');
    await page.locator('[data-testid=apply]').click();
    await page.waitForURL((u) => u.search.includes('from=2025-06-07T12:00Z'));
    await page.waitForFunction(() => document.querySelector('[data-testid=summary]')?.textContent.startsWith('No'));
    assert.equal(bgplay.length, 1, 'the new window is fetched once');
    await page.goBack();
    await page.waitForURL((u) => u.search === OUTAGE_QUERY);
    await page.waitForFunction(() => document.querySelector('[data-testid=summary]')?.textContent.startsWith('BGP outage'));
    assert.equal(bgplay.length, 1, 'the outage window came from memory');

    // A reload: the persisted cache answers, nothing reaches the network.
    await page.reload();
    await waitForSummary(page);
    await waitForSourcesReady(page);
    assert.equal(bgplay.length, 1, `reload served from the Cache API, saw ${bgplay.length - 1} new`);

    // Refresh bypasses every cache. The source is still 'ready' from before the click, so wait
    // for the request itself rather than for a state that may not have changed yet.
    const refetched = page.waitForResponse((r) => r.url().includes('/data/bgplay/'));
    await page.locator('[data-testid=refresh]').click();
    await refetched;
    await page.waitForFunction(() => document.querySelector('[data-testid=source-ripestat-bgplay]')?.dataset.state === 'ready');
    await page.waitForFunction(() => document.querySelector('[data-testid=summary]')?.textContent.startsWith('BGP outage'));
    assert.equal(bgplay.length, 2, 'Refresh fetched bgplay again');
    return page;
  });
});

test('k. hostile URL parameters are shown only as text and leave a sane view', async () => {
  await journey('k-hostile-url', {}, async ({ open }) => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const q = new URLSearchParams({ asn: evil, from: '<script>window.__pwned=2</script>', until: '2025-06-07T12:00Z', [evil]: '1' });
    const page = await open(`/?${q}`);
    await waitForSummary(page);
    // The default view (the North Korea outage) is shown, and the URL is normalised to it.
    await page.waitForURL((u) => u.search === OUTAGE_QUERY);
    const problems = await page.locator('.problems li').allInnerTexts();
    assert.ok(problems.some((p) => p.includes('<img src=x')), `the bad value is quoted as text: ${problems}`);
    assert.ok(problems.some((p) => p.includes('is not known and was ignored')), `${problems}`);
    const injected = await page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      imgs: document.querySelectorAll('img').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('pwned')).length,
    }));
    assert.deepEqual(injected, { pwned: null, imgs: 0, scripts: 0 });
    return page;
  });
});

test('l. each kind of fault is told in plain words on its own source; the rest still works', async () => {
  await journey('l-faults', {}, async ({ context, open }) => {
    const json = (route, status, body) => route.fulfill({ status, contentType: 'application/json', body });
    // ris-peers: truncated JSON.
    await context.route('**/data/ris-peers/**', async (route) => {
      const full = await (await route.fetch()).text();
      return json(route, 200, full.slice(0, Math.floor(full.length / 2)));
    });
    // asn-neighbours: RIPEstat in maintenance, with its message.
    await context.route('**/data/asn-neighbours/**', (route) =>
      json(route, 503, JSON.stringify({ status: 'maintenance', status_code: 503, messages: [['info', 'Back at 12:00 UTC.']], data: {} })),
    );
    // IODA signals: "200 with empty data".
    await context.route('**/v2/signals/raw/**', (route) => json(route, 200, '{"type":"signals","error":null,"data":[[]]}'));
    // IODA events: the connection is refused (retried, then given up).
    await context.route('**/v2/outages/events**', (route) => route.abort('connectionrefused'));
    const page = await open(`/${OUTAGE_QUERY}`);
    const state = (slug) =>
      page.waitForFunction((s) => document.querySelector(`[data-testid=source-${s}]`)?.dataset.state === 'failed', slug, {
        timeout: 20_000,
      });
    const text = (slug) => page.locator(`[data-testid=source-${slug}]`).innerText();
    await state('ripestat-ris-peers');
    assert.match(await text('ripestat-ris-peers'), /the answer could not be read/);
    await state('ripestat-asn-neighbours');
    assert.match(await text('ripestat-asn-neighbours'), /the API is in maintenance: Back at 12:00 UTC\./);
    await state('ioda-signals');
    assert.match(await text('ioda-signals'), /no data for this entity and window/);
    await state('ioda-outage-events');
    assert.match(await text('ioda-outage-events'), /could not reach the server/);
    // Without the peer list the analysis still runs, and says which rule it fell back to.
    const summary = await page.locator('.summary').innerText();
    assert.match(summary, /BGP outage of AS131279/);
    assert.match(summary, /no RIS peer list was available/);
    assert.match(await page.locator('[data-testid=panel-error]').first().innerText(), /IODA signals unavailable: no data/);
    await page.locator('[data-testid=graph]').waitFor();
    page.problems = page.problems.filter((p) => !/ris-peers|asn-neighbours|outages\/events|status of 503|ERR_CONNECTION_REFUSED|request failed/.test(p));
    return page;
  });
});

/** The URL's `at` as Unix seconds (`…T17:35Z` or `…T17:35:15Z`), or null. */
function atSecs(page) {
  const at = new URL(page.url()).searchParams.get('at');
  return at === null ? null : Date.parse(at.replace(/T(\d\d:\d\d)Z$/, 'T$1:00Z')) / 1000;
}

/**
 * True when the URL's `at` stays the same over two animation frames and then `ms` of polling
 * once a frame (each frame bounded at 100 ms, in case frames are not produced).
 */
function momentHoldsStill(page, ms) {
  return page.evaluate(async (ms) => {
    const read = () => new URL(location.href).searchParams.get('at');
    const frame = () =>
      new Promise((r) => {
        requestAnimationFrame(r);
        setTimeout(r, 100);
      });
    const first = read();
    await frame();
    await frame();
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (read() !== first) return false;
      await frame();
    }
    return read() === first;
  }, ms);
}

test('m. replay: play moves the moment through the outage, pause stops it, keys jump', async () => {
  await journey('m-replay', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}&at=2025-06-06T17:20Z`);
    await waitForSummary(page);
    await edgesIntoEntity(page);
    const historyStart = await page.evaluate(() => history.length);
    const scrubber = page.getByRole('slider', { name: 'Moment (UTC)' });
    assert.equal(await scrubber.getAttribute('data-testid'), 'moment');
    assert.equal(await page.locator('[data-testid=moment-text]').innerText(), '2025-06-06 17:20 UTC');

    // The fastest speed, chosen through its label.
    const speed = page.getByLabel('Replay speed', { exact: true });
    assert.equal(await speed.getAttribute('data-testid'), 'speed');
    const speeds = await speed.locator('option').evaluateAll((os) => os.map((o) => Number(o.value)));
    await speed.selectOption(String(Math.max(...speeds)));

    const play = page.locator('[data-testid=play]');
    assert.equal(await play.evaluate((b) => b.tagName), 'BUTTON');
    assert.equal(await page.getByRole('button', { name: 'Play', exact: true }).getAttribute('data-testid'), 'play');
    await play.click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    const t1735 = unix('2025-06-06T17:35Z');
    await page.waitForFunction((t) => {
      const at = new URL(location.href).searchParams.get('at');
      return at !== null && Date.parse(at.replace(/T(\d\d:\d\d)Z$/, 'T$1:00Z')) / 1000 > t;
    }, t1735);
    // Both links are gone by then (TransTelecom 17:28:40, China Unicom 17:31:05).
    await page.waitForFunction(() => {
      const edges = [...document.querySelectorAll('[data-testid=graph] path.edge[data-to="AS131279"]')];
      return edges.length >= 2 && edges.every((e) => e.dataset.peers === '0');
    });
    const during = await edgesIntoEntity(page);
    assert.ok(during.length >= 2, `edges into AS131279: ${JSON.stringify(during)}`);
    for (const e of during) assert.equal(e.peers, 0, `${e.from} → AS131279 carries peers after 17:35`);

    // Pause: the moment stops where it is; the graph and the text show it.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const paused = atSecs(page);
    assert.ok(paused > t1735, `paused at ${paused}`);
    assert.ok(await momentHoldsStill(page, 1_000), 'the moment kept moving after Pause');
    assert.equal(atSecs(page), paused);
    const shown = await page.locator('[data-testid=moment-text]').innerText();
    assert.equal(Date.parse(shown.replace(/ (\d\d:\d\d) UTC$/, 'T$1:00Z').replace(/ (\d\d:\d\d:\d\d) UTC$/, 'T$1Z')) / 1000, paused);
    await page.waitForFunction(
      (s) => document.querySelector('[data-testid=graph-text]')?.textContent.startsWith(`At ${s}:`),
      shown,
    );
    assert.equal(await page.evaluate(() => history.length), historyStart, 'playing pushed history entries');

    // Keyboard: Tab reaches every control; on the scrubber Home/End jump, arrows step, Space plays.
    await scrubber.focus();
    const order = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName));
    }
    assert.deepEqual(order, ['step-back', 'play', 'step-forward', 'speed']);
    await scrubber.focus();
    await page.keyboard.press('Home');
    await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-06T12:00Z');
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('at') !== '2025-06-06T12:00Z');
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.keyboard.press('End');
    await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-07T12:00Z');
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-07T11:55Z');
    await page.locator('[data-testid=step-back]').click();
    await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-07T11:50Z');
    await page.locator('[data-testid=step-forward]').click();
    await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-07T11:55Z');
    await scrubber.focus();
    await page.keyboard.press('End');
    await page.waitForURL((u) => u.searchParams.get('at') === '2025-06-07T12:00Z');
    assert.equal(atSecs(page), UNTIL);
    assert.equal(await page.locator('[data-testid=moment-text]').innerText(), '2025-06-07 12:00 UTC');
    assert.equal(await page.evaluate(() => history.length), historyStart, 'moving the moment pushed history entries');
    return page;
  });
});

test('n. the known-outages catalogue opens an outage in one action, as a new history entry', async () => {
  await journey('n-catalogue', {}, async ({ open }) => {
    const page = await open('/?asn=131279&from=2025-06-05T00:00Z&until=2025-06-06T00:00Z');
    await waitForSummary(page);
    const catalogue = page.getByRole('group', { name: /^Known outages/ });
    assert.equal(await catalogue.getAttribute('data-testid'), 'catalogue');
    assert.equal(await page.locator('[data-testid=catalogue-what]').innerText(), '');
    const historyStart = await page.evaluate(() => history.length);

    // The 2025-06-06/07 entry: the outage the scenario serves.
    const june = catalogue.getByRole('button', { name: /^Jun 2025/ });
    await june.click();
    await page.waitForURL((u) => u.search === OUTAGE_QUERY);
    await page.waitForFunction((t) => document.querySelector('[data-testid=title]').textContent === t, OUTAGE_TITLE);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=summary]')?.textContent.startsWith('BGP outage of AS131279'),
    );
    assert.equal(await page.evaluate(() => history.length), historyStart + 1, 'the catalogue must push one history entry');
    assert.equal(await june.getAttribute('aria-current'), 'true');
    assert.match(await page.locator('[data-testid=catalogue-what]').innerText(), /6 June 2025/);
    await waitForSourcesReady(page);

    // The 2014 entry, by keyboard, while the replay plays: the new range stops it. The stand-in
    // serves the same files whatever the window, so only the view is checked: URL, title,
    // inputs, text; the page stays healthy.
    await page.locator('[data-testid=play]').click();
    await page.waitForURL((u) => u.searchParams.has('at'));
    const dec2014 = catalogue.getByRole('button', { name: /^Dec 2014/ });
    await dec2014.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('from') === '2014-12-22T10:00Z');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    assert.ok(await momentHoldsStill(page, 600), 'the replay kept running in the new range');
    assert.deepEqual(query(page), { asn: '131279', from: '2014-12-22T10:00Z', until: '2014-12-23T08:00Z' });
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid=title]').textContent === t,
      'AS131279 · 2014-12-22 10:00 UTC → 2014-12-23 08:00 UTC',
    );
    assert.equal(await page.locator('[data-testid=from]').inputValue(), '2014-12-22T10:00');
    assert.equal(await page.locator('[data-testid=until]').inputValue(), '2014-12-23T08:00');
    assert.equal(await page.evaluate(() => history.length), historyStart + 2);
    assert.equal(await dec2014.getAttribute('aria-current'), 'true');
    assert.equal(await june.getAttribute('aria-current'), null);
    assert.match(await page.locator('[data-testid=catalogue-what]').innerText(), /16:15 UTC on 22 December 2014/);
    assert.equal(await page.locator('ul.problems li').count(), 0);
    await waitForSourcesReady(page);
    await waitForSummary(page);

    // Back returns to the June outage, at the moment the replay had reached there.
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('from') === '2025-06-06T12:00Z');
    assert.ok(new URL(page.url()).search.startsWith(`${OUTAGE_QUERY}&at=2025-06-0`), page.url());
    await page.waitForFunction((t) => document.querySelector('[data-testid=title]').textContent === t, OUTAGE_TITLE);
    assert.equal(await june.getAttribute('aria-current'), 'true');
    await waitForSourcesReady(page);
    return page;
  });
});

test('o. drag to zoom, hover readout, pan and reset; the zoom lives in the URL', async () => {
  await journey('o-zoom', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    await waitForSummary(page);
    const chart = page.locator('[data-testid=bgp-chart]');
    await chart.waitFor();
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    const from = unix('2025-06-06T12:00Z');
    const until = unix('2025-06-07T12:00Z');
    // x of a time, as src/ui/charts/mod.rs maps it (56 px gutter, 16 px right margin).
    const xOf = (t) => box.x + 56 + ((box.width - 56 - 16) * (t - from)) / (until - from);
    const y = box.y + box.height / 4;
    const historyStart = await page.evaluate(() => history.length);
    const iso = (v) => Date.parse(v) / 1000; // zoom ends may carry seconds

    // Hover: the readout names the time and the values at that time (inside the outage: 0).
    await page.mouse.move(xOf(unix('2025-06-06T20:00Z')), y);
    await page.waitForFunction(() => document.querySelector('[data-testid=bgp-chart-readout]')?.textContent.includes('visible /24s: 0'));
    assert.match(await page.locator('[data-testid=bgp-chart-readout]').innerText(), /^2025-06-06 (19:5\d|20:0\d)/);

    // Drag from 16:00 to 20:00: the URL gets that zoom (to the pixel), replacing the entry.
    await page.mouse.move(xOf(unix('2025-06-06T16:00Z')), y);
    await page.mouse.down();
    await page.mouse.move(xOf(unix('2025-06-06T18:00Z')), y, { steps: 4 });
    await page.mouse.move(xOf(unix('2025-06-06T20:00Z')), y, { steps: 4 });
    await page.mouse.up();
    await page.waitForURL((u) => new URL(u).searchParams.has('zoom'));
    const [za, zb] = new URL(page.url()).searchParams.get('zoom').split('/').map(iso);
    assert.ok(Math.abs(za - unix('2025-06-06T16:00Z')) <= 300 && Math.abs(zb - unix('2025-06-06T20:00Z')) <= 300, `zoom ${za}/${zb}`);
    assert.equal(await page.evaluate(() => history.length), historyStart, 'zoom replaces the history entry');

    // Pan later by a quarter, then back to the whole range.
    await page.locator('[data-testid=pan-right]').click();
    await page.waitForURL((u) => {
      const z = new URL(u).searchParams.get('zoom');
      return z && iso(z.split('/')[0]) > za;
    });
    await page.locator('[data-testid=zoom-reset]').click();
    await page.waitForURL((u) => !new URL(u).searchParams.has('zoom'));
    assert.equal(await page.locator('[data-testid=zoom-reset]').isDisabled(), true);
    return page;
  });
});
