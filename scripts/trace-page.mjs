// Profiling aid (not a test): loads the page on a synthetic scenario under a Chromium trace and
// prints each main-thread task over MIN ms (default 40) with the trace events inside it and the
// functions the CPU profile sampled in it (self time). With the build of
// scripts/profile-build.sh the wasm's functions have their names (TRACE_OUT=file keeps the trace,
// TRACE_CATEGORIES=a,b sets its categories; TRACE_IN=file reads a kept trace instead of loading):
//   OUTAGE_LENS_DIST=target/dist-prof node scripts/trace-page.mjs [kp-2025-06|large-entity] [MIN]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAGE_SCENARIOS, ROOT, startStandin, launchBrowser, newContext, openPage } from '../e2e/harness.mjs';

const name = process.argv[2] ?? 'kp-2025-06';
const MIN = Number(process.argv[3] ?? 40);
const { view } = PAGE_SCENARIOS[name] ?? process.exit(2);
let trace;
if (process.env.TRACE_IN) {
  // A trace kept earlier (bench-page.mjs with CPU=1 and TRACE_OUT): only the analysis below.
  trace = JSON.parse(readFileSync(process.env.TRACE_IN, 'utf8'));
} else {
  const standin = await startStandin({ data: join(ROOT, 'target', 'scenarios', name) });
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser);
    const page = await openPage(context);
    await browser.startTracing(page, {
      categories: (process.env.TRACE_CATEGORIES ?? 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,v8,disabled-by-default-v8.cpu_profiler').split(','),
    });
    await page.goto(`${standin.url}/?${view}`, { waitUntil: 'load' });
    await page.locator('[data-testid=summary]').waitFor({ timeout: 300_000 });
    await page.waitForTimeout(2500); // the charts and the graph draw after the summary
    const raw = await browser.stopTracing();
    if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, raw); // for chrome://tracing
    trace = JSON.parse(raw.toString('utf8'));
  } finally {
    await browser.close();
    await standin.stop();
  }
}

const events = trace.traceEvents ?? trace;
// The page's renderer: the one that committed the page's URL (Chromium's WebUI and the
// benchmark's warm-up have main threads of the same name).
const committed = events.find((e) => e.name === 'FrameCommittedInBrowser' && e.args?.data?.url?.includes('?asn='));
const mainThread = events.find(
  (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && (!committed || e.pid === committed.args.data.processId),
);
const { pid, tid } = mainThread;
const spans = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
const nodes = new Map();
const samples = [];
const times = [];
let clock = 0;
// Only the main thread's profile: the fetch worker in the same renderer has one too.
const profile = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
for (const e of events) {
  if (e.pid !== pid || e.id !== profile?.id) continue;
  if (e.name === 'Profile') clock = e.args.data.startTime;
  if (e.name !== 'ProfileChunk') continue;
  const data = e.args.data;
  for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
  for (const [i, s] of (data.cpuProfile?.samples ?? []).entries()) {
    clock += data.timeDeltas?.[i] ?? 0;
    samples.push(s);
    times.push(clock);
  }
}
const label = (frame) => frame?.functionName || `(${frame?.url?.split('/').pop() ?? '?'})`;
const first = spans.find((e) => e.name === 'RunTask')?.ts ?? 0;
const ms = (us) => (us / 1000).toFixed(1);
const long = spans.filter((e) => e.name === 'RunTask' && e.dur >= MIN * 1000);
console.log(`${name}: ${long.length} main-thread tasks of ${MIN} ms or more (times under tracing)`);
for (const task of long) {
  const end = task.ts + task.dur;
  // Its CPU time tells the page's work from the time the thread waited for a core.
  console.log(`\ntask ${ms(task.dur)} ms (cpu ${ms(task.tdur ?? 0)} ms) at ${ms(task.ts - first)} ms`);
  for (const e of spans.filter((s) => s !== task && s.ts >= task.ts && s.ts + s.dur <= end && s.dur >= 1000).slice(0, 30)) {
    const what = e.args?.data?.functionName || e.args?.data?.type || '';
    console.log(`  +${ms(e.ts - task.ts).padStart(6)} ${ms(e.dur).padStart(6)} ms ${e.name} ${what}`);
  }
  const self = new Map();
  const total = new Map();
  let count = 0;
  let span = 0;
  for (const [i, s] of samples.entries()) {
    if (times[i] < task.ts || times[i] > end) continue;
    count += 1;
    span += i > 0 ? times[i] - times[i - 1] : 0;
    const seen = new Set();
    for (let n = nodes.get(s), depth = 0; n && depth < 200; n = nodes.get(n.parent), depth += 1) {
      const key = label(n.callFrame);
      if (depth === 0) self.set(key, (self.get(key) ?? 0) + 1);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + 1);
      seen.add(key);
    }
  }
  const every = count ? span / count / 1000 : 0;
  const list = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 20))
    .map(([k, v]) => `    ${(v * every).toFixed(1).padStart(6)} ms ${k.slice(0, 120)}`).join('\n');
  console.log(`  sampled: ${count} samples, one per ${every.toFixed(2)} ms`);
  console.log('  self:\n' + list(self));
  console.log('  with callees:\n' + list(total));
}
