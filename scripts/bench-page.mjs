// Benchmark (not a test): the real page on a synthetic scenario, served by the stand-in.
// Reports how long the page took to show its summary and the main thread's long tasks
// (PerformanceObserver 'longtask': every task over 50 ms) from the first byte to then, then
// the same for the graph's evidence on the origin node; with SCHED=1 and CPU=1, whether each long
// task was the page's work or a wait for a core, over both.
// Usage: node scripts/bench-page.mjs [large-entity|kp-2025-06]   (after scripts/build.sh; the
//   large entity first needs: cargo run --release -p outage-lens-scenario --bin gen-scenario --
//   large-entity target/scenarios/large-entity)
import { join } from 'node:path';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { CHROMIUM, PAGE_SCENARIOS, ROOT, startStandin, launchBrowser, newContext, openPage } from '../e2e/harness.mjs';

/**
 * Chromium as a desktop user's runs. Run by root, it raises its IO and compositor threads to
 * nice -8, which a user's Chromium cannot (no CAP_SYS_NICE): while hundreds of MB moved, the
 * page's main thread then got about a sixth of a core (tasks of 50-95 ms with 10-20 ms of
 * work in 5 of 8 loads; 1 of 8 without). So root runs it through setpriv, without that
 * capability.
 */
function asUser() {
  if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) return CHROMIUM;
  const wrapper = join(tmpdir(), 'outage-lens-chromium-as-user');
  writeFileSync(wrapper, `#!/bin/sh\nexec setpriv --bounding-set=-sys_nice --inh-caps=-sys_nice -- ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return wrapper;
}

const name = process.argv[2] ?? 'large-entity';
const { asn, view } = PAGE_SCENARIOS[name] ?? process.exit(2);
const data = join(ROOT, 'target', 'scenarios', name);
const standin = await startStandin({ data });
const browser = await launchBrowser(asUser());
try {
  // A warm-up load in a context of its own: the stand-in cuts and keeps every answer, which
  // for the large entity takes seconds of one of the two cores. A real API does that work on
  // its own machines, so the measured load must not share a core with it. The measured load
  // gets a fresh context: no Cache API answers, no compiled wasm from the warm-up.
  if (process.env.WARM !== '0') {
    const warm = await newContext(browser);
    const page = await openPage(warm);
    await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
    await page.locator('[data-testid=summary]').waitFor({ timeout: 600_000 });
    // And every source settled: the dump-time checks ask for RIPEstat's visibility after the
    // summary, and a stand-in still deriving those answers took the cores from the measured load.
    await page.waitForFunction(() => !document.querySelector('[data-testid^="source-"][data-state="loading"]'), null, { timeout: 600_000 });
    await warm.close();
  }
  // The machine's memory right now (scripts/first_touch.py): the page's unpaced work (a
  // garbage collection, a style recalculation) takes several times longer while it is slow.
  const touch = spawnSync('python3', [join(ROOT, 'scripts', 'first_touch.py')], { encoding: 'utf8' });
  console.log(touch.stdout?.trim() || 'first_touch_ms_per_mb=?');
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
  // CPU=1: a trace of the main thread, to tell for each long task how much of its wall time
  // the thread was on a core (a task the OS kept waiting for a core is not the page's work).
  const traced = process.env.CPU === '1';
  if (traced) await browser.startTracing(page, { categories: (process.env.TRACE_CATEGORIES ?? 'devtools.timeline,disabled-by-default-devtools.timeline').split(',') });
  // SCHED=1: the main thread's kernel state sampled during the load (scripts/sched_sample.py).
  let sampler = null;
  if (process.env.SCHED === '1') {
    const out = join(tmpdir(), `sched-${process.pid}.txt`);
    // At a real-time priority when allowed, so that a gap in its samples means the machine
    // stopped, not that the sampler waited for a core.
    const samplerArgs = [join(ROOT, 'scripts', 'sched_sample.py'), out];
    const rt = process.getuid?.() === 0 && spawnSync('chrt', ['-f', '50', 'true']).status === 0;
    sampler = Object.assign(rt ? spawn('chrt', ['-f', '50', 'python3', ...samplerArgs]) : spawn('python3', samplerArgs), { out, rt });
  }
  const t0 = Date.now();
  await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
  await page.locator('[data-testid=summary]').waitFor();
  const shownMs = Date.now() - t0;
  const shownAt = await page.evaluate(() => performance.now());
  // Let the charts and the graph draw before reading the tasks.
  await page.waitForTimeout(3000);
  const loaded = await page.evaluate(() => window.__longTasks);
  // The graph's evidence on the origin: every route crosses it, so every prefix's routes are
  // rebuilt at the moment. Measured under the same sampler and trace as the load.
  const origin = page.locator(`[data-testid=graph] g.node[data-asn="${asn}"]`);
  let evidence = null;
  if (await origin.count()) {
    const asked = await page.evaluate(() => performance.now());
    await origin.click();
    await page.locator('[data-testid=graph-evidence-text]').waitFor();
    const answered = await page.evaluate(() => performance.now());
    await page.waitForTimeout(500);
    evidence = { ms: answered - asked, tasks: (await page.evaluate(() => window.__longTasks)).slice(loaded.length) };
  }
  const tasks = [...loaded, ...(evidence?.tasks ?? [])];
  if (sampler) {
    sampler.kill();
    await once(sampler, 'exit');
    const origin = await page.evaluate(() => performance.timeOrigin);
    const samples = readFileSync(sampler.out, 'utf8').trim().split('\n').map((l) => l.split(' '));
    // The page's main thread: the renderer's that was running most during the load (the
    // warm-up's and spare renderers sleep).
    const running = new Map();
    for (const [at, pid, state] of samples) {
      if (state === 'R' && Number(at) >= origin) running.set(pid, (running.get(pid) ?? 0) + 1);
    }
    const main = [...running].sort((a, b) => b[1] - a[1])[0]?.[0];
    // Every sweep's time, for the sampler's pauses around each task.
    const times = [...new Set(samples.map(([at]) => Number(at)))].sort((a, b) => a - b);
    let own = 0;
    for (const [t, d] of tasks) {
      const [from, to] = [origin + t, origin + t + d];
      const mine = samples.filter(([at, pid]) => pid === main && Number(at) >= from && Number(at) <= to);
      const asleep = mine.filter(([, , state]) => state !== 'R');
      const where = [...new Set(asleep.map(([, , , w]) => w))].join(',');
      // The sampler's longest pause within the task (from the sample before it to the one
      // after), and the steal ticks the kernel counted over the task.
      const inside = [times.filter((at) => at < from).pop() ?? from, ...times.filter((at) => at >= from && at <= to), times.find((at) => at > to) ?? to];
      const gap = inside.slice(1).reduce((m, at, i) => Math.max(m, at - inside[i]), 0);
      const steal = (at) => Number(samples.find(([s]) => Number(s) === at)?.[4] ?? 0);
      const stolen = steal(inside[inside.length - 1]) - steal(inside[0]);
      // The main thread's time on a core and waiting for one, over its samples in the task.
      // The kernel adds a wait to run_delay only when the wait ends, so read up to 20 ms past
      // the task.
      const span = samples.filter(([at, pid]) => pid === main && Number(at) >= from - 4 && Number(at) <= to + 20);
      const ns = (i) => (span.length ? (Number(span[span.length - 1][i]) - Number(span[0][i])) / 1e6 : 0);
      console.log(
        `task ${d.toFixed(0)} ms at ${from.toFixed(0)} (epoch ms): main thread asleep in ${asleep.length} of ${mine.length} samples${where ? ` (${where})` : ''}; ` +
          `on a core ${ns(5).toFixed(0)} ms, waiting for one ${ns(6).toFixed(0)} ms; ` +
          `sampler${sampler.rt ? ' (real-time)' : ''} paused up to ${gap.toFixed(0)} ms; steal ${stolen} ticks`,
      );
      own += ns(5) >= 50 ? 1 : 0;
    }
    // The rule's verdict: a task is the page's own when its thread ran 50 ms or more in it
    // (counted generously, up to 24 ms past it); the others waited for a core, or the machine
    // stopped.
    console.log(`own_long_tasks=${own} (of ${tasks.length} long tasks: on a core 50 ms or more)`);
  }
  if (traced) {
    const raw = await browser.stopTracing();
    if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, raw);
    const trace = JSON.parse(raw.toString('utf8'));
    const events = trace.traceEvents ?? trace;
    // The page's renderer: the one that committed its URL (others, such as Chromium's own
    // WebUI, have main threads of the same name).
    const committed = events.find((e) => e.name === 'FrameCommittedInBrowser' && e.args?.data?.url?.startsWith(standin.url));
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === committed?.args.data.processId);
    const all = events.filter((e) => e.pid === main?.pid && e.tid === main?.tid && e.name === 'RunTask');
    const runs = all.filter((e) => e.dur >= 50_000);
    // When in the load (from the renderer's first task): start-up, parse, render or evidence.
    const first = all.reduce((m, e) => Math.min(m, e.ts), Infinity);
    const spell = (e) => `wall ${(e.dur / 1000).toFixed(0)} ms / cpu ${((e.tdur ?? 0) / 1000).toFixed(1)} ms at ${((e.ts - first) / 1000).toFixed(0)} ms`;
    console.log(`traced tasks of 50 ms or more: ${runs.length}: [${runs.map(spell).join(', ')}]; with 50 ms of cpu or more: ${runs.filter((e) => (e.tdur ?? 0) >= 50_000).length}`);
    // The page's own work per task, whatever the machine did meanwhile: the margin a task
    // has for waiting on a core before it passes 50 ms.
    const busiest = [...all]
      .sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))
      .slice(0, 5);
    console.log(`traced tasks with the most cpu: [${busiest.map(spell).join(', ')}]`);
  }
  const bytes = statSync(join(data, 'ripestat', 'bgplay', `AS${asn}.json`)).size;
  const worst = (list) => list.reduce((m, [, d]) => Math.max(m, d), 0);
  console.log(
    `page ${name} (synthetic; bgplay recording ${bytes} bytes; view ${view}${mbit > 0 ? `; link ${mbit} Mbit/s` : ''}) ` +
      `summary_shown_ms=${shownMs} long_tasks=${loaded.length} longest_task_ms=${worst(loaded).toFixed(0)} ` +
      `long_tasks=[${loaded.map(([t, d]) => `${d.toFixed(0)}ms@${((t - shownAt) / 1000).toFixed(1)}s`).join(',')}] ` +
      '(@: start, seconds from the summary showing)',
  );
  if (evidence) {
    console.log(
      `evidence on the origin node: shown_ms=${evidence.ms.toFixed(0)} ` +
        `long_tasks=${evidence.tasks.length} longest_task_ms=${worst(evidence.tasks).toFixed(0)}`,
    );
  }
  if (page.problems.length) console.log(`problems: ${page.problems.join('; ')}`);
} finally {
  await browser.close();
  await standin.stop();
}
