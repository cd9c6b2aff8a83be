// Main-thread trace of one offline cold start (diagnostic, not in bench.sh):
// the longest top-level tasks on the page's renderer main thread.
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
const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.includes('/bao-cao')) || events.find((e) => e.name === 'navigationStart');
const t0 = nav.ts;
const main = events.find((e) => e.name === 'TracingStartedInBrowser')?.args?.data?.frames?.[0]?.processId;
const pid = nav.pid, tid = nav.tid;
const mine = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= t0);
const rows = mine.filter((e) => e.dur > 8000).map((e) => ({ at: Math.round((e.ts - t0) / 1000), ms: Math.round(e.dur / 1000), name: e.name, what: JSON.stringify(e.args?.data || e.args || {}).slice(0, 140) }));
rows.sort((a, b) => a.at - b.at);
for (const r of rows) console.log(`${String(r.at).padStart(5)} +${String(r.ms).padStart(4)}  ${r.name}  ${r.what}`);
await ctx.close();
rmSync(dir, { recursive: true, force: true });
await server.stop();
