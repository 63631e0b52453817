// End-to-end journeys of the explorer's interactions (issue #4): legend toggles and the
// normalised view, a selected link or prefix, the graph's evidence, dragging the chart cursor,
// a phone-width screen and the dark theme. Same stand-in and synthetic kp-2025-06 scenario as
// app.test.mjs. Run: `node --test e2e/` (prerequisites: e2e/README.md).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertHealthy,
  checkPrerequisites,
  launchBrowser,
  MARGIN_RIGHT,
  newContext,
  openPage,
  query,
  runJourney,
  startStandin,
  unix,
  utcTimesIn,
  Y_LABEL_WIDTH,
} from './harness.mjs';

const OUTAGE_QUERY = '?asn=131279&from=2025-06-06T12:00Z&until=2025-06-07T12:00Z';
const FROM = unix('2025-06-06T12:00Z');
const UNTIL = unix('2025-06-07T12:00Z');
/** Okabe–Ito colours from src/ui/colors.rs: the two upstreams, and the selected prefix. */
const BLUE = [0, 114, 178];
const VERMILLION = [213, 94, 0];
const PURPLE = [204, 121, 167];

let standin;
let browser;

before(async () => {
  checkPrerequisites();
  standin = await startStandin();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await standin?.stop();
});


/** One journey; screenshots of the viewport. */
const journey = (name, contextOptions, body) =>
  runJourney(browser, standin.url, name, contextOptions, body, { fullPage: false });

async function ready(page) {
  await page.locator('[data-testid=summary]').waitFor();
  await page.locator('[data-testid=bgp-chart]').waitFor();
  await page.locator('[data-testid=graph] path.edge').first().waitFor();
}

/** Pixels of the canvas within 12 of each colour, and its laid-out and backing widths. */
function colourCounts(page, testid, colours) {
  return page.locator(`[data-testid=${testid}]`).evaluate((c, colours) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const hits = colours.map(() => 0);
    for (let i = 0; i < px.length; i += 4) {
      colours.forEach(([r, g, b], k) => {
        if (Math.abs(px[i] - r) <= 12 && Math.abs(px[i + 1] - g) <= 12 && Math.abs(px[i + 2] - b) <= 12) hits[k]++;
      });
    }
    return hits;
  }, colours);
}

/** Page coordinates of time `t` on a chart (its padding edge + the chart's own mapping). */
async function chartPoint(page, testid, t, from = FROM, until = UNTIL) {
  const chart = page.locator(`[data-testid=${testid}]`);
  await chart.scrollIntoViewIfNeeded();
  const g = await chart.evaluate((c) => {
    const r = c.getBoundingClientRect();
    return { left: r.left + c.clientLeft, top: r.top, width: c.clientWidth, height: r.height };
  });
  const plot = g.width - Y_LABEL_WIDTH - MARGIN_RIGHT;
  return { x: g.left + Y_LABEL_WIDTH + (plot * (t - from)) / (until - from), y: g.top + g.height / 4, g };
}

/** The hover readout of a chart at time `t`. */
async function readoutAt(page, testid, t) {
  const { x, y } = await chartPoint(page, testid, t);
  await page.mouse.move(x, y);
  const readout = page.locator(`[data-testid=${testid}-readout]`);
  await page.waitForFunction((id) => document.querySelector(`[data-testid=${id}-readout]`)?.textContent !== '', testid);
  return readout.innerText();
}

const legendButton = (page, chart, id) =>
  page.locator(`figure:has([data-testid=${chart}]) .legend button[data-series="${id}"]`);

test('p. legend toggles and the normalised view live in the URL and reopen in a fresh page', async () => {
  await journey('p-toggles-normalised', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    await ready(page);
    const ttk = legendButton(page, 'bgp-chart', 'AS20485');
    assert.equal(await ttk.getAttribute('aria-pressed'), 'true');
    const [, vermillionBefore] = await colourCounts(page, 'bgp-chart', [BLUE, VERMILLION]);
    assert.ok(vermillionBefore > 50, `TransTelecom's line is drawn: ${vermillionBefore}`);

    // Hide TransTelecom (BGP chart) and IODA's bgp signal: gone from the canvases, in the URL.
    const historyStart = await page.evaluate(() => history.length);
    await ttk.click();
    await page.waitForURL((u) => new URL(u).searchParams.get('hide') === 'AS20485');
    assert.equal(await ttk.getAttribute('aria-pressed'), 'false');
    const [blue, vermillion] = await colourCounts(page, 'bgp-chart', [BLUE, VERMILLION]);
    assert.ok(vermillion < 5 && blue > 50, `hidden line still drawn: blue ${blue}, vermillion ${vermillion}`);
    await legendButton(page, 'ioda-chart', 'bgp').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('hide') === 'bgp,AS20485');
    assert.doesNotMatch(await readoutAt(page, 'ioda-chart', unix('2025-06-06T14:00Z')), /\bbgp:/);

    // Normalised: each line as % of its own maximum, so the 4 visible /24s read 100.
    assert.match(await readoutAt(page, 'bgp-chart', unix('2025-06-06T14:00Z')), /visible \/24s: 4\b/);
    await page.locator('[data-testid=norm]').check();
    await page.waitForURL((u) => new URL(u).searchParams.get('norm') === '1');
    assert.match(await readoutAt(page, 'bgp-chart', unix('2025-06-06T14:00Z')), /visible \/24s: 100\b/);
    assert.equal(await page.evaluate(() => history.length), historyStart, 'toggles replace the history entry');

    // The same URL in a fresh context: the same toggles, the same values.
    const url = new URL(page.url());
    const fresh = await openPage(await newContext(browser), url.href);
    try {
      await ready(fresh);
      assert.equal(await legendButton(fresh, 'bgp-chart', 'AS20485').getAttribute('aria-pressed'), 'false');
      assert.equal(await legendButton(fresh, 'ioda-chart', 'bgp').getAttribute('aria-pressed'), 'false');
      assert.equal(await fresh.locator('[data-testid=norm]').isChecked(), true);
      assert.match(await readoutAt(fresh, 'bgp-chart', unix('2025-06-06T14:00Z')), /visible \/24s: 100\b/);
      const [, v] = await colourCounts(fresh, 'bgp-chart', [BLUE, VERMILLION]);
      assert.ok(v < 5, `the reopened page draws the hidden line: ${v}`);
      await assertHealthy(fresh);
    } finally {
      await fresh.context().close();
    }

    // Keyboard: focus the hidden series' button and press Enter to show it again.
    await ttk.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => new URL(u).searchParams.get('hide') === 'bgp');
    assert.equal(await ttk.getAttribute('aria-pressed'), 'true');
    await page.locator('[data-testid=bgp-chart]').scrollIntoViewIfNeeded();
    return page;
  });
});

test('q. selecting a link or a prefix highlights it in the timeline and the graph', async () => {
  await journey('q-select-link', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}&at=2025-06-06T15:00Z`);
    await ready(page);
    const [, thin] = await colourCounts(page, 'bgp-chart', [BLUE, VERMILLION]);
    await page.locator('[data-testid=highlight]').selectOption('link:AS20485');
    await page.waitForURL((u) => new URL(u).searchParams.get('sel') === 'link:AS20485');
    await page.waitForFunction(() => document.querySelector('[data-testid=graph] path.edge.selected'));
    const [, thick] = await colourCounts(page, 'bgp-chart', [BLUE, VERMILLION]);
    assert.ok(thick > thin * 1.5, `the selected link's line is not thicker: ${thin} → ${thick} pixels`);
    const classes = await page.$$eval('[data-testid=graph] path.edge[data-to="AS131279"]', (es) =>
      es.map((e) => ({ from: e.dataset.from, selected: e.classList.contains('selected'), faded: e.classList.contains('faded') })),
    );
    assert.deepEqual(
      classes.filter((e) => e.selected).map((e) => e.from),
      ['AS20485'],
      `selected edges into the origin: ${JSON.stringify(classes)}`,
    );
    assert.ok(classes.find((e) => e.from === 'AS4837')?.faded, 'the other link is not faded');

    // A prefix: its own line (share of peers holding it) appears, and its edges are marked.
    const [purpleBefore] = await colourCounts(page, 'bgp-chart', [PURPLE]);
    await page.locator('[data-testid=highlight]').selectOption('175.45.176.0/24');
    await page.waitForURL((u) => new URL(u).searchParams.get('sel') === '175.45.176.0/24');
    await page.waitForFunction(() => document.querySelector('[data-testid=graph] path.edge[data-to="AS131279"].selected'));
    const [purple] = await colourCounts(page, 'bgp-chart', [PURPLE]);
    assert.ok(purple > purpleBefore + 100, `no line for the selected prefix: ${purpleBefore} → ${purple}`);
    assert.match(await readoutAt(page, 'bgp-chart', unix('2025-06-06T14:00Z')), /175\.45\.176\.0\/24: % of full-table peers holding it: \d/);

    // Reopened, the selection is there again.
    const again = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await ready(again);
    assert.equal(await again.locator('[data-testid=highlight]').inputValue(), '175.45.176.0/24');
    await again.locator('[data-testid=graph]').scrollIntoViewIfNeeded();
    return again;
  });
});

test('r. activating a graph edge or node shows which peers use it and since when', async () => {
  await journey('r-graph-evidence', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}&at=2025-06-06T15:00Z`);
    await ready(page);
    const ttkEdge = page.locator('[data-testid=graph] path.edge[data-from="AS20485"][data-to="AS131279"]');
    const peers = Number(await ttkEdge.getAttribute('data-peers'));
    assert.ok(peers > 0, 'TransTelecom carries routes at 15:00');
    await ttkEdge.click();
    const panel = page.locator('[data-testid=graph-evidence]');
    await panel.waitFor();
    assert.match(await panel.locator('h3').innerText(), /^Link AS20485.* → AS131279.* \(via AS20485\)$/);
    const text = await page.locator('[data-testid=graph-evidence-text]').innerText();
    const m = /(\d+) full-table RIS peer\(s\) at (\d+) collector\(s\) \(([^)]*)\)/.exec(text);
    assert.ok(m, `no peers/collectors in: ${text}`);
    assert.equal(Number(m[1]), peers, 'the panel and the edge weight disagree');
    const collectors = m[3].split(', ');
    assert.equal(collectors.length, Number(m[2]));
    assert.ok(collectors.every((c) => /^rrc\d\d$/.test(c)), `collectors: ${m[3]}`);
    const [, first, last] = utcTimesIn(text);
    const at = unix('2025-06-06T15:00Z');
    assert.ok(first <= last && last <= at, `since ${first}..${last} must be at or before the moment ${at}`);
    assert.equal(await panel.locator('li').count(), Math.min(peers, 60));
    assert.equal(query(page).sel, 'link:AS20485', 'the edge selects its link');

    // Keyboard: focus China Unicom's edge, Enter; then the origin node, Space.
    await page.locator('[data-testid=graph] path.edge[data-from="AS4837"][data-to="AS131279"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /via AS4837/.test(document.querySelector('[data-testid=graph-evidence] h3')?.textContent));
    await page.locator('[data-testid=graph] g.node[data-asn="131279"]').focus();
    await page.keyboard.press(' ');
    await page.waitForFunction(() => /^Node AS131279/.test(document.querySelector('[data-testid=graph-evidence] h3')?.textContent));
    const all = await page.locator('[data-testid=graph-evidence-text]').innerText();
    assert.ok(Number(/(\d+) full-table/.exec(all)?.[1]) >= peers, `the origin gathers every route: ${all}`);

    // The evidence follows the moment: during the outage nobody routes to the origin.
    await page.locator('[data-testid=moment]').evaluate((el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, unix('2025-06-06T20:00Z'));
    await page.waitForFunction(() =>
      /no full-table RIS peer routes over it/.test(document.querySelector('[data-testid=graph-evidence-text]')?.textContent),
    );
    await page.locator('[data-testid=moment]').evaluate((el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, at);
    await page.waitForFunction(() => /collector/.test(document.querySelector('[data-testid=graph-evidence-text]')?.textContent));
    await panel.scrollIntoViewIfNeeded();
    return page;
  });
});

test('s. dragging the chart cursor moves the moment, in step with the replay scrubber', async () => {
  await journey('s-drag-cursor', {}, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}&at=2025-06-06T15:00Z`);
    await ready(page);
    const historyStart = await page.evaluate(() => history.length);
    const start = await chartPoint(page, 'bgp-chart', unix('2025-06-06T15:00Z'));
    const target = unix('2025-06-06T18:00Z');
    const end = await chartPoint(page, 'bgp-chart', target);
    await page.mouse.move(start.x + 2, start.y);
    await page.mouse.down();
    await page.mouse.move(end.x, end.y, { steps: 8 });
    await page.mouse.up();
    // One pixel is 86400 / plot width seconds: allow two pixels and the floor to the minute.
    const tolerance = (2 * (UNTIL - FROM)) / (start.g.width - Y_LABEL_WIDTH - MARGIN_RIGHT) + 60;
    const atOf = (u) => {
      const at = new URL(u).searchParams.get('at');
      return at ? Date.parse(/T\d\d:\d\dZ$/.test(at) ? at.replace(/Z$/, ':00Z') : at) / 1000 : NaN;
    };
    await page.waitForURL((u) => Math.abs(atOf(u) - target) <= tolerance);
    assert.equal(query(page).zoom, undefined, 'dragging the cursor is not a zoom');
    assert.equal(await page.evaluate(() => history.length), historyStart, 'the drag replaces the history entry');
    const at = Number(await page.locator('[data-testid=moment]').inputValue());
    assert.ok(Math.abs(at - target) <= tolerance, `the scrubber is at ${at}, not near ${target}`);
    assert.match(await page.locator('[data-testid=moment-text]').innerText(), /^2025-06-06 1[78]:\d\d/);

    // The other way: the scrubber moves the cursor line on both charts.
    const t = unix('2025-06-06T14:00Z');
    await page.locator('[data-testid=moment]').evaluate((el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, t);
    for (const id of ['bgp-chart', 'ioda-chart']) {
      const { g } = await chartPoint(page, id, t);
      const column = Math.round(Y_LABEL_WIDTH + ((g.width - Y_LABEL_WIDTH - MARGIN_RIGHT) * (t - FROM)) / (UNTIL - FROM));
      await page.waitForFunction(
        ([id, x]) => {
          const c = document.querySelector(`[data-testid=${id}]`);
          const px = c.getContext('2d').getImageData(x - 1, 0, 3, c.height).data;
          let black = 0;
          for (let i = 0; i < px.length; i += 4) if (px[i] < 40 && px[i + 1] < 40 && px[i + 2] < 40) black++;
          return black > c.height * 0.5;
        },
        [id, column],
      );
    }
    await page.locator('[data-testid=bgp-chart]').scrollIntoViewIfNeeded();
    return page;
  });
});

test('t. phone width: no horizontal scroll, charts drawn to the width, controls usable', async () => {
  await journey('t-phone', { viewport: { width: 375, height: 812 }, hasTouch: true }, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    await ready(page);
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.scroll <= widths.view, `the page scrolls sideways: ${widths.scroll} > ${widths.view}`);
    for (const id of ['bgp-chart', 'ioda-chart']) {
      await page.waitForFunction((id) => {
        const c = document.querySelector(`[data-testid=${id}]`);
        return c && c.width === c.clientWidth && c.clientWidth >= 300;
      }, id);
      const box = await page.locator(`[data-testid=${id}]`).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 375, `${id} overflows: ${JSON.stringify(box)}`);
    }
    // Every visible button fits on the screen and can be tapped.
    const outside = await page.$$eval('button, select, input', (els) =>
      els
        .filter((e) => e.offsetParent !== null)
        .map((e) => ({ t: e.dataset.testid || e.textContent.trim().slice(0, 20), r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.left < 0 || r.right > window.innerWidth + 0.5)
        .map(({ t, r }) => `${t} ${r.left}..${r.right}`),
    );
    assert.deepEqual(outside, [], 'controls off the screen');
    await legendButton(page, 'bgp-chart', 'AS4837').tap();
    await page.waitForURL((u) => new URL(u).searchParams.get('hide') === 'AS4837');
    await page.locator('[data-testid=play]').tap();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('at'));
    await page.locator('[data-testid=play]').tap();
    // A finger drags the chart's cursor too (touch events through the DevTools protocol).
    await page.locator('[data-testid=play]').waitFor();
    const pausedAt = Number(await page.locator('[data-testid=moment]').inputValue());
    const from = await chartPoint(page, 'bgp-chart', pausedAt);
    const target = pausedAt + 3 * 3600 > UNTIL ? pausedAt - 3 * 3600 : pausedAt + 3 * 3600;
    const to = await chartPoint(page, 'bgp-chart', target);
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, x, y) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', from.x, from.y);
    for (let k = 1; k <= 6; k++) await touch('touchMove', from.x + ((to.x - from.x) * k) / 6, from.y);
    await touch('touchEnd');
    const tolerance = (2 * (UNTIL - FROM)) / (from.g.width - Y_LABEL_WIDTH - MARGIN_RIGHT) + 60;
    await page.waitForFunction(
      ([t, tol]) => Math.abs(Number(document.querySelector('[data-testid=moment]').value) - t) <= tol,
      [target, tolerance],
    );
    assert.equal(query(page).zoom, undefined, 'a touch drag on the cursor is not a zoom');
    // The graph scrolls inside its own box, not the page.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await page.locator('[data-testid=bgp-chart]').scrollIntoViewIfNeeded();
    return page;
  });
});

test('u. dark theme: the canvases follow prefers-color-scheme', async () => {
  await journey('u-dark', { colorScheme: 'dark' }, async ({ open }) => {
    const page = await open(`/${OUTAGE_QUERY}`);
    await ready(page);
    for (const id of ['bgp-chart', 'ioda-chart']) {
      const c = page.locator(`[data-testid=${id}]`);
      await c.scrollIntoViewIfNeeded();
      const probe = await c.evaluate((c) => {
        const ctx = c.getContext('2d');
        const at = (x, y) => [...ctx.getImageData(x, y, 1, 1).data];
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        let light = 0;
        for (let i = 0; i < px.length; i += 4) {
          const l = (px[i] + px[i + 1] + px[i + 2]) / 3;
          if (l < 50) dark++;
          if (l > 200) light++;
        }
        return { corner: at(3, 3), margin: at(c.width - 4, 3), dark, light, n: px.length / 4 };
      });
      for (const p of [probe.corner, probe.margin]) {
        assert.ok(p[0] < 50 && p[1] < 50 && p[2] < 50, `${id}: a background pixel is not dark: ${p}`);
      }
      assert.ok(probe.dark > probe.n * 0.6, `${id}: mostly dark background (${probe.dark}/${probe.n})`);
      assert.ok(probe.light > 200, `${id}: light text and lines on it (${probe.light} light pixels)`);
    }
    // The upstream colours stay, the page background is dark too.
    const [blue, vermillion] = await colourCounts(page, 'bgp-chart', [BLUE, VERMILLION]);
    assert.ok(blue > 50 && vermillion > 50, `upstream lines on dark: ${blue}, ${vermillion}`);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(bg, 'rgb(22, 22, 26)');
    await page.locator('[data-testid=bgp-chart]').scrollIntoViewIfNeeded();
    return page;
  });
});
