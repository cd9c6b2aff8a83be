// Main-thread trace of one offline cold start (diagnostic, not in bench.sh):
// where the page's renderer main thread spends its time, and its longest
// tasks. TRACE_OUT=file.json keeps the whole trace (chrome://tracing).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, persistentPhone, primedOfflinePhone, reporter } from '../tests/harness.mjs';

const server = await startServer({ accounts: [reporter] });
const dir = mkdtempSync(join(tmpdir(), 'thidua-trace-'));
await primedOfflinePhone(server.base, dir);
const ctx = await persistentPhone(dir, { offline: true });
const page = ctx.pages()[0] || await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.RATE || 4) });
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,v8.wasm,blink,loading,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.goto(server.base + '/bao-cao', { waitUntil: 'commit' });
await page.waitForSelector('body[data-hydrated="true"] [data-testid="points-chi-dao"]', { timeout: 60_000 });
await page.waitForTimeout(300);
await cdp.send('Tracing.end');
await done;
if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, JSON.stringify({ traceEvents: events }));
try {
  // The page's renderer main thread, from the navigation's commit.
  const names = {};
  for (const e of events) if (e.name === 'thread_name') names[`${e.pid}:${e.tid}`] = e.args.name;
  const commit = events.find((e) => e.name === 'DocumentLoader::CommitNavigation' && names[`${e.pid}:${e.tid}`] === 'CrRendererMain');
  const main = events.filter((e) => e.pid === commit.pid && e.tid === commit.tid && e.ph === 'X' && e.ts >= commit.ts);
  const total = {};
  for (const e of main) total[e.name] = (total[e.name] || 0) + e.dur;
  const show = ['ParseHTML', 'EvaluateScript', 'v8.wasm.compileConsume', 'wasm.CompileLazy', 'wasm.SyncInstantiate', 'FunctionCall', 'Layout', 'UpdateLayoutTree', 'Paint'];
  console.log('main thread after commit, ms: ' + show.map((n) => `${n} ${Math.round((total[n] || 0) / 1000)}`).join(' · '));
  console.log(`lazily compiled WASM functions: ${main.filter((e) => e.name === 'wasm.CompileLazy').length}`);
  for (const e of main.filter((e) => e.name === 'RunTask' && e.dur > 8000)) {
    console.log(`${String(Math.round((e.ts - commit.ts) / 1000)).padStart(5)} ms  task of ${Math.round(e.dur / 1000)} ms`);
  }
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
